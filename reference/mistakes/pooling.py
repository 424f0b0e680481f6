"""Mistakes in max and average pooling (NCHW and NCL, ``kernel_size`` windows by ``stride``)."""

from __future__ import annotations

import numpy as np

from reference.mistakes.model import Mistake, Probe
from reference.windows import fold, windows


def _geometry(p: Probe) -> tuple[tuple[int, ...], int]:
    """The window (one ``kernel_size`` per spatial axis: 2-D or 1-D) and the stride."""
    k = p.config["kernel_size"]
    return (k,) * (p.x.ndim - 2), p.config.get("stride") or k


def _maxpool_overwritten(p: Probe) -> np.ndarray:
    """Each window's gradient assigned (``=``) over the whole window, in raster order."""
    kernel, stride = _geometry(p)
    x, dx = p.x, np.zeros_like(p.x)
    for where in np.ndindex(*p.upstream.shape):
        n, c, *at = where
        span = tuple(slice(i * stride, i * stride + k) for i, k in zip(at, kernel, strict=True))
        window = x[(n, c, *span)]
        dx[(n, c, *span)] = (window == window.max()) * p.upstream[where]
    return dx


def _spread(p: Probe, share: float) -> np.ndarray:
    kernel, stride = _geometry(p)
    share = np.expand_dims(p.upstream * share, tuple(range(-len(kernel), 0)))
    dwin = np.broadcast_to(share, (*p.upstream.shape, *kernel))
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


# --- convfamily: the same mistakes in 1-D pooling (NCL) ---


def _one_d() -> tuple[Mistake, ...]:
    return (
        Mistake("MaxPool1d", "dx", "maxpool-gradient-spread",
                "the MaxPool1d backward sends the gradient to the whole window",
                "dout added to every element of its window",
                "send dout only to the position of each window's maximum",
                lambda p: _spread(p, 1.0)),
        Mistake("MaxPool1d", "dx", "maxpool-overwrite",
                "the MaxPool1d backward overwrites where windows overlap",
                "each window's gradient assigned with = over the whole window",
                "accumulate: dx[window] += (window == max) * dout", _maxpool_overwritten),
        Mistake("AvgPool1d", "dx", "avgpool-not-divided",
                "the AvgPool1d backward does not divide by the window size",
                "dout added to every element of its window",
                "each element of a window gets dout / kernel_size", lambda p: _spread(p, 1.0)),
        Mistake("AvgPool1d", "out", "avgpool-sum",
                "the AvgPool1d output is the sum of each window, not its mean",
                "the window sums", "divide each window's sum by kernel_size",
                lambda p: windows(p.x, *_geometry(p)).sum(axis=-1)),
    )


MISTAKES = (*MISTAKES, *_one_d())
