"""A transposed convolution written as zero insertion followed by a stride-1 convolution.

CMU 11-785's ``ConvTranspose1d(in_channels, out_channels, kernel_size,
upsampling_factor)`` puts ``factor - 1`` zeros between the input's samples, then
cross-correlates with a (C_out, C_in, K) kernel, without padding. That is the catalog's
transposed convolution (torch's ``conv_transpose``) with ``stride = factor`` and
``padding = K - 1`` on every axis, whose kernel is the library's with its two channel axes
swapped and every spatial axis flipped: a torch transposed convolution zero-inserts, pads
by ``K - 1 - padding`` and cross-correlates with exactly that kernel. A case of other
padding is a different function, which such a class cannot compute: declared
(``--adapter classes:ConvTranspose1d.upsampled``), it is reported unsupported, never
charged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from harness.adapters.layout import Layout
from harness.case import Case

FACTORS = ("upsampling_factor", "upsample_factor", "upsampling")
"""Constructor arguments that give such a class its stride."""


def unsupported(variant: Mapping[str, Any]) -> str:
    """Why the case drawn from ``variant`` is not such a class's function (``""`` when
    it is). Decided from the variant alone, in the grading process, before any code runs
    (``harness.selection``): a sandboxed child cannot declare a case unsupported."""
    kernel = tuple(variant["kernel"])
    padding = variant.get("padding", 0)
    pads = padding if isinstance(padding, tuple | list) else (padding,) * len(kernel)
    if tuple(pads) == tuple(k - 1 for k in kernel):
        return ""
    return (f"an upsample-then-convolve ConvTranspose computes padding = kernel - 1 "
            f"({tuple(k - 1 for k in kernel)}) only; this case has padding={padding}")


def kernel(layout: Layout, W: np.ndarray) -> None:
    """Our (C_in, C_out, *K) kernel as the library's (C_out, C_in, *K), flipped, and its
    gradient back (the same move undoes itself)."""
    theirs = _swap_flip(W).shape
    layout.add("W", _swap_flip, lambda a: _swap_flip(a) if a.shape == theirs else a)


def factor(case: Case) -> Any:
    """The upsampling factor of ``case``: its stride."""
    return case.config["stride"]


def _swap_flip(array: np.ndarray) -> np.ndarray:
    spatial = tuple(range(2, array.ndim))
    return np.ascontiguousarray(np.flip(np.swapaxes(array, 0, 1), axis=spatial))
