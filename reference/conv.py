"""Convolutions (cross-correlations, like PyTorch) over 1 or 2 spatial axes.

Both are one class over ``d = W.ndim - 2`` spatial axes: forward is a single
``tensordot`` of the window view with ``W`` (im2col without the copy loop), and backward
contracts the same view with ``dout`` for ``dW`` and folds ``dout · W`` back for ``dx``.
"""

from __future__ import annotations

import numpy as np

from reference.windows import fold, pad, unpad, windows


class _Conv:
    """Cross-correlation of ``x`` (N, C, *spatial) with ``W`` (F, C, *kernel) plus ``b`` (F,).

    ``padding`` zeros are added on both sides of every spatial axis, then the kernel
    moves by ``stride``; positions that do not fit a whole kernel are dropped. Each is
    an int for every axis or one per axis, as torch's ``(2, 1)``.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, stride: int | tuple[int, ...] = 1,
                 padding: int | tuple[int, ...] = 0):
        self.W, self.b = W, b
        self.stride, self.padding = stride, padding
        self.spatial = W.ndim - 2

    def forward(self, x: np.ndarray) -> np.ndarray:
        padded = pad(x, self.padding)
        self.padded_shape = padded.shape
        self.win = windows(padded, self.W.shape[2:], self.stride)
        d = self.spatial
        # Contract C and the kernel axes of the windows with those of W: (N, *out, F).
        out = np.tensordot(self.win, self.W, axes=((1, *range(2 + d, 2 + 2 * d)), range(1, 2 + d)))
        return np.moveaxis(out, -1, 1) + self.b.reshape(-1, *[1] * d)

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        d = self.spatial
        batch_and_out = (0, *range(2, 2 + d))
        dW = np.tensordot(dout, self.win, axes=(batch_and_out, batch_and_out))
        dwin = np.moveaxis(np.tensordot(dout, self.W, axes=(1, 0)), 1 + d, 1)
        dx = fold(dwin, self.padded_shape, self.stride)
        return {"x": unpad(dx, self.padding), "W": dW, "b": dout.sum(axis=batch_and_out)}


class Conv1d(_Conv):
    """``x`` (N, C, L), ``W`` (F, C, K), ``b`` (F,) -> (N, F, L_out)."""


class Conv2d(_Conv):
    """``x`` (N, C, H, W), ``W`` (F, C, KH, KW), ``b`` (F,) -> (N, F, H_out, W_out)."""


# --- convfamily: transposed convolutions (the adjoint of the convolutions above) ---


class _ConvTranspose:
    """Transposed convolution of ``x`` (N, C_in, *spatial) with ``W`` (C_in, C_out, *kernel).

    As ``torch.nn.functional.conv_transpose*d`` (no output padding, no dilation): each
    input position scatters ``x · W`` onto a kernel-sized window of the output, windows
    ``stride`` apart and overlapping windows adding up; then ``padding`` is cropped from
    both sides of every spatial axis. Out size per axis: ``(L - 1)·stride - 2·padding + K``.
    Backward reads the windows of the zero-padded ``dout``: that is a plain convolution.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0):
        self.W, self.b = W, b
        self.stride, self.padding = stride, padding
        self.spatial = W.ndim - 2

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x, d = x, self.spatial
        kernel = self.W.shape[2:]
        full = tuple((n - 1) * self.stride + k for n, k in zip(x.shape[2:], kernel, strict=True))
        # (N, *in, C_out, *kernel): every input position's contribution to its window.
        dwin = np.moveaxis(np.tensordot(x, self.W, axes=(1, 0)), 1 + d, 1)
        out = fold(dwin, (x.shape[0], self.W.shape[1], *full), self.stride)
        return unpad(out, self.padding) + self.b.reshape(-1, *[1] * d)

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        d = self.spatial
        win = windows(pad(dout, self.padding), self.W.shape[2:], self.stride)
        kernel_axes = tuple(range(2 + d, 2 + 2 * d))
        dx = np.tensordot(win, self.W, axes=((1, *kernel_axes), (1, *range(2, 2 + d))))
        batch_and_in = (0, *range(2, 2 + d))
        dW = np.tensordot(self.x, win, axes=(batch_and_in, batch_and_in))
        return {"x": np.moveaxis(dx, -1, 1), "W": dW,
                "b": dout.sum(axis=(0, *range(2, 2 + d)))}


class ConvTranspose1d(_ConvTranspose):
    """``x`` (N, C_in, L), ``W`` (C_in, C_out, K), ``b`` (C_out,) -> (N, C_out, L_out)."""


class ConvTranspose2d(_ConvTranspose):
    """``x`` (N, C_in, H, W), ``W`` (C_in, C_out, KH, KW), ``b`` (C_out,) -> NCHW."""
