"""Pooling over NCHW (2-D, optional padding) and NCL (1-D) inputs; ragged windows dropped."""

from __future__ import annotations

import math

import numpy as np

from reference.windows import fold, pad, unpad, windows


class MaxPool2d:
    """Maximum of each ``kernel_size`` window; the gradient goes to that maximum only.

    ``padding`` adds -inf on every side (as torch), never a maximum.

    ``stride`` defaults to ``kernel_size`` as in PyTorch. With tied maxima the
    gradient goes to the first one (cases have no ties, where frameworks disagree).
    """

    def __init__(self, kernel_size: int, stride: int | None = None, padding: int = 0):
        self.kernel = (kernel_size, kernel_size)
        self.stride = stride or kernel_size
        self.padding = padding

    def forward(self, x: np.ndarray) -> np.ndarray:
        # torch's padding: -inf, so a padded position is never a window's maximum.
        padded = pad(x, self.padding, fill=-np.inf)
        self.shape = padded.shape
        win = windows(padded, self.kernel, self.stride)
        self.flat = win.reshape(*win.shape[:4], -1)
        return self.flat.max(axis=-1)

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        winner = self.flat.argmax(axis=-1)[..., None]
        dflat = np.zeros(self.flat.shape, dtype=dout.dtype)
        np.put_along_axis(dflat, winner, dout[..., None], axis=-1)
        dwin = dflat.reshape(*dflat.shape[:4], *self.kernel)
        return {"x": unpad(fold(dwin, self.shape, self.stride), self.padding)}


class AvgPool2d:
    """Mean of each ``kernel_size`` window; each input gets ``1 / k²`` of its windows' gradient.

    Padding is zeros that count in the mean (torch's ``count_include_pad=True``): every
    window divides by k², at the border too.
    """

    def __init__(self, kernel_size: int, stride: int | None = None, padding: int = 0):
        self.kernel = (kernel_size, kernel_size)
        self.stride = stride or kernel_size
        self.padding = padding

    def forward(self, x: np.ndarray) -> np.ndarray:
        padded = pad(x, self.padding)
        self.shape = padded.shape
        return windows(padded, self.kernel, self.stride).mean(axis=(-2, -1))

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        share = dout[..., None, None] / math.prod(self.kernel)
        dwin = np.broadcast_to(share, (*dout.shape, *self.kernel))
        return {"x": unpad(fold(dwin, self.shape, self.stride), self.padding)}


# --- convfamily: 1-D pooling (NCL) ---


class MaxPool1d(MaxPool2d):
    """Maximum of each ``kernel_size`` window of (N, C, L); the gradient to that maximum."""

    def __init__(self, kernel_size: int, stride: int | None = None):
        self.kernel = (kernel_size,)
        self.stride = stride or kernel_size
        self.padding = 0

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.shape = x.shape
        self.flat = windows(x, self.kernel, self.stride)
        return self.flat.max(axis=-1)

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        winner = self.flat.argmax(axis=-1)[..., None]
        dwin = np.zeros(self.flat.shape, dtype=dout.dtype)
        np.put_along_axis(dwin, winner, dout[..., None], axis=-1)
        return {"x": fold(dwin, self.shape, self.stride)}


class AvgPool1d:
    """Mean of each ``kernel_size`` window of (N, C, L); each input gets ``1 / k`` back."""

    def __init__(self, kernel_size: int, stride: int | None = None):
        self.kernel = (kernel_size,)
        self.stride = stride or kernel_size

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.shape = x.shape
        return windows(x, self.kernel, self.stride).mean(axis=-1)

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        share = dout[..., None] / self.kernel[0]
        dwin = np.broadcast_to(share, (*dout.shape, *self.kernel))
        return {"x": fold(dwin, self.shape, self.stride)}
