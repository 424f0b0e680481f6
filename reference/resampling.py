"""Upsampling by zeros and downsampling by slicing (CMU 11-785 HW2), 1-D and 2-D.

``Upsample(k)`` dilates by zeros: ``k - 1`` zeros between neighbouring elements, so a
width ``L`` becomes ``k·(L - 1) + 1``. ``Downsample(k)`` keeps every ``k``-th element,
starting with the first: ``ceil(L / k)``. Each one's backward is the other's forward,
except that a downsample's backward must restore the input's own width (remembered by
forward: ``L`` is not always ``k·(L_out - 1) + 1``).
"""

from __future__ import annotations

import numpy as np


def _every(k: int, axes: int) -> tuple[slice, ...]:
    """The index of every ``k``-th element of the last ``axes`` axes."""
    return (Ellipsis, *(slice(None, None, k),) * axes)


class _Upsample:
    axes = 1

    def __init__(self, upsampling_factor: int):
        self.k = upsampling_factor

    def forward(self, x: np.ndarray) -> np.ndarray:
        lead, sizes = x.shape[: -self.axes], x.shape[-self.axes :]
        out = np.zeros((*lead, *(self.k * (n - 1) + 1 for n in sizes)), dtype=x.dtype)
        out[_every(self.k, self.axes)] = x
        return out

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": np.ascontiguousarray(dout[_every(self.k, self.axes)])}


class _Downsample:
    axes = 1

    def __init__(self, downsampling_factor: int):
        self.k = downsampling_factor

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.shape = x.shape
        return np.ascontiguousarray(x[_every(self.k, self.axes)])

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        dx = np.zeros(self.shape, dtype=dout.dtype)
        dx[_every(self.k, self.axes)] = dout
        return {"x": dx}


class Upsample1d(_Upsample):
    """(N, C, L) -> (N, C, k·(L - 1) + 1), ``k - 1`` zeros between elements."""


class Upsample2d(_Upsample):
    """(N, C, H, W) -> (N, C, k·(H - 1) + 1, k·(W - 1) + 1)."""

    axes = 2


class Downsample1d(_Downsample):
    """(N, C, L) -> (N, C, ceil(L / k)): every ``k``-th element."""


class Downsample2d(_Downsample):
    """(N, C, H, W) -> (N, C, ceil(H / k), ceil(W / k))."""

    axes = 2
