"""Mistakes in 2-D max and average pooling (NCHW, ``kernel_size`` windows by ``stride``)."""

from __future__ import annotations

import numpy as np

from reference.mistakes.model import Mistake, Probe
from reference.windows import fold, windows


def _geometry(p: Probe) -> tuple[tuple[int, int], int]:
    k = p.config["kernel_size"]
    return (k, k), p.config.get("stride") or k


def _maxpool_overwritten(p: Probe) -> np.ndarray:
    """Each window's gradient assigned (``=``) over the whole window, in raster order."""
    kernel, stride = _geometry(p)
    x, dx = p.x, np.zeros_like(p.x)
    out_h, out_w = p.upstream.shape[2:]
    for n, c, i, j in np.ndindex(x.shape[0], x.shape[1], out_h, out_w):
        rows = slice(i * stride, i * stride + kernel[0])
        cols = slice(j * stride, j * stride + kernel[1])
        window = x[n, c, rows, cols]
        dx[n, c, rows, cols] = (window == window.max()) * p.upstream[n, c, i, j]
    return dx


def _spread(p: Probe, share: float) -> np.ndarray:
    kernel, stride = _geometry(p)
    dwin = np.broadcast_to(p.upstream[..., None, None] * share, (*p.upstream.shape, *kernel))
    return fold(dwin, p.x.shape, stride)


MISTAKES = (
    Mistake(
        "MaxPool2d", "dx", "maxpool-overwrite",
        "the MaxPool2d backward overwrites where windows overlap",
        "each window's gradient assigned with = over the whole window, so a later "
        "window erases what an earlier one put on a shared input",
        "accumulate: dx[window] += (window == max) * dout (only overlapping windows, "
        "stride < kernel, show the difference)",
        _maxpool_overwritten,
    ),
    Mistake(
        "MaxPool2d", "dx", "maxpool-gradient-spread",
        "the MaxPool2d backward sends the gradient to the whole window",
        "dout added to every element of its window",
        "send dout only to the position of each window's maximum",
        lambda p: _spread(p, 1.0),
    ),
    Mistake(
        "MaxPool2d", "dx", "maxpool-gradient-averaged",
        "the MaxPool2d backward is average pooling's",
        "dout / k² added to every element of its window",
        "send dout only to the position of each window's maximum",
        lambda p: _spread(p, 1.0 / np.prod(_geometry(p)[0])),
    ),
    Mistake(
        "AvgPool2d", "dx", "avgpool-not-divided",
        "the AvgPool2d backward does not divide by the window size",
        "dout added to every element of its window",
        "each element of a window gets dout / k² (k² = kernel_size**2)",
        lambda p: _spread(p, 1.0),
    ),
    Mistake(
        "AvgPool2d", "out", "avgpool-sum",
        "the AvgPool2d output is the sum of each window, not its mean",
        "the window sums",
        "divide each window's sum by k² (or take .mean over the window)",
        lambda p: windows(p.x, *_geometry(p)).sum(axis=(-2, -1)),
    ),
)
