"""Mistakes in the convolutions (cross-correlations of NC* inputs with (F, C, *k) kernels)."""

from __future__ import annotations

import numpy as np

from reference.conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d
from reference.mistakes.model import Mistake, Probe
from reference.windows import fold

CLASSES = {"Conv1d": Conv1d, "Conv2d": Conv2d, "ConvTranspose1d": ConvTranspose1d,
           "ConvTranspose2d": ConvTranspose2d}


def _layer(name: str, p: Probe, W: np.ndarray | None = None):
    layer = CLASSES[name](p.params["W"] if W is None else W, p.params["b"], **p.config)
    layer.forward(p.x)
    return layer


def _flipped(W: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.flip(W, axis=tuple(range(2, W.ndim))))


def _uncropped_dx(name: str, p: Probe) -> np.ndarray:
    layer = _layer(name, p)
    d = layer.spatial
    dwin = np.moveaxis(np.tensordot(p.upstream, layer.W, axes=(1, 0)), 1 + d, 1)
    return fold(dwin, layer.padded_shape, layer.stride)


def _family(name: str) -> tuple[Mistake, ...]:
    return (
        Mistake(
            name, "out", "conv-kernel-flipped",
            f"the {name} output flips the kernel (a true convolution)",
            "each window multiplied by W reversed along its spatial axes",
            "multiply each window by W as it is (cross-correlation, as PyTorch and "
            "TensorFlow define these layers)",
            lambda p: _layer(name, p, _flipped(p.params["W"])).forward(p.x),
        ),
        Mistake(
            name, "dW", "conv-dw-flipped",
            f"the {name} dW is flipped along its spatial axes",
            "the right dW reversed along the kernel axes",
            "dW[f, c, i, j] = sum of dout[n, f, y, x] * x_padded[n, c, y*stride + i, "
            "x*stride + j]: no flip",
            lambda p: _flipped(_layer(name, p).backward(p.upstream)["W"]),
        ),
        Mistake(
            name, "dx", "conv-dx-padding-not-cropped",
            f"the {name} dx keeps the padding",
            "the gradient of the padded input, padding rows and columns included",
            "crop the padding off: dx = dx_padded[..., pad:-pad, pad:-pad] when pad > 0 "
            "(and the whole array when pad == 0: x[pad:-pad] is empty then)",
            lambda p: _uncropped_dx(name, p),
        ),
    )




# --- convfamily: transposed convolutions (W as (C_in, C_out, *kernel)) ---


def _transposed(name: str) -> tuple[Mistake, ...]:
    return (
        Mistake(
            name, "out", "conv-kernel-flipped",
            f"the {name} output flips the kernel",
            "each input position scatters x times W reversed along its spatial axes",
            "scatter x[n, :, i] times W as it is (torch's conv_transpose: the adjoint of "
            "the cross-correlation, no flip)",
            lambda p: _layer(name, p, _flipped(p.params["W"])).forward(p.x),
        ),
        Mistake(
            name, "dW", "conv-dw-flipped",
            f"the {name} dW is flipped along its spatial axes",
            "the right dW reversed along the kernel axes",
            "dW[ci, co, k] = sum of x[n, ci, i] * dout_padded[n, co, i*stride + k]: no flip",
            lambda p: _flipped(_layer(name, p).backward(p.upstream)["W"]),
        ),
    )


MISTAKES = (*_family("Conv1d"), *_family("Conv2d"), *_transposed("ConvTranspose1d"),
            *_transposed("ConvTranspose2d"))
