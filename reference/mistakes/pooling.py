"""Mistakes in max and average pooling (NCHW and NCL, ``kernel_size`` windows by ``stride``)."""

from __future__ import annotations

import numpy as np

from reference.mistakes.model import Mistake, Probe
from reference.pooling import AvgPool2d, MaxPool2d
from reference.windows import fold, pad, unpad, windows


def _geometry(p: Probe) -> tuple[tuple[int, ...], int]:
    """The window (one ``kernel_size`` per spatial axis: 2-D or 1-D) and the stride."""
    k = p.config["kernel_size"]
    return (k,) * (p.x.ndim - 2), p.config.get("stride") or k


def _padding(p: Probe) -> int:
    return p.config.get("padding", 0)


def _padded(p: Probe, fill: float = 0.0) -> np.ndarray:
    """The input as the pool sees it: padded (2-D variants with ``padding``) by ``fill``."""
    return pad(p.x, _padding(p), fill) if _padding(p) else p.x


def _maxpool_overwritten(p: Probe) -> np.ndarray:
    """Each window's gradient assigned (``=``) over the whole window, in raster order."""
    kernel, stride = _geometry(p)
    x = _padded(p, -np.inf)
    dx = np.zeros_like(x)
    for where in np.ndindex(*p.upstream.shape):
        n, c, *at = where
        span = tuple(slice(i * stride, i * stride + k) for i, k in zip(at, kernel, strict=True))
        window = x[(n, c, *span)]
        dx[(n, c, *span)] = (window == window.max()) * p.upstream[where]
    return unpad(dx, _padding(p))


def _maxpool_argmax_assigned(p: Probe) -> np.ndarray:
    """Each window's ``dout`` assigned (``=``) at its maximum only, in raster order: an
    input that is the maximum of two overlapping windows keeps the last one's alone."""
    kernel, stride = _geometry(p)
    x = _padded(p, -np.inf)
    dx = np.zeros_like(x)
    for where in np.ndindex(*p.upstream.shape):
        n, c, *at = where
        corner = [i * stride for i in at]
        span = tuple(slice(i, i + k) for i, k in zip(corner, kernel, strict=True))
        top = np.unravel_index(np.argmax(x[(n, c, *span)]), kernel)
        dx[(n, c, *(i + t for i, t in zip(corner, top, strict=True)))] = p.upstream[where]
    return unpad(dx, _padding(p))


def _spread(p: Probe, share: float) -> np.ndarray:
    kernel, stride = _geometry(p)
    share = np.expand_dims(p.upstream * share, tuple(range(-len(kernel), 0)))
    dwin = np.broadcast_to(share, (*p.upstream.shape, *kernel))
    return unpad(fold(dwin, _padded(p).shape, stride), _padding(p))


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
        "MaxPool2d", "dx", "maxpool-argmax-overwrite",
        "the MaxPool2d backward assigns at each window's maximum instead of adding",
        "dx[argmax] = dout, so an input that is the maximum of two overlapping windows "
        "keeps only the last window's gradient",
        "accumulate: dx[argmax] += dout (only overlapping windows, stride < kernel, show "
        "the difference)",
        _maxpool_argmax_assigned,
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
        lambda p: windows(_padded(p), *_geometry(p)).sum(axis=(-2, -1)),
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


# --- convfamily: mistakes that only padded 2-D pooling shows ---


def _uncropped(layer: type, p: Probe) -> np.ndarray:
    """The gradient of the padded input: the backward forgot to crop the padding."""
    pool = layer(**p.config)
    pool.forward(p.x)
    dx = pool.backward(p.upstream)["x"]
    return pad(dx, _padding(p)) if _padding(p) else dx


def _real_count(p: Probe) -> np.ndarray:
    """How many real (not padded) inputs each window holds."""
    ones = np.ones((1, 1, *p.x.shape[2:]))
    return windows(pad(ones, _padding(p)), *_geometry(p)).sum(axis=(-2, -1))


def _padded_models() -> tuple[Mistake, ...]:
    crop = "crop the padding off the gradient: dx = dx_padded[..., pad:-pad, pad:-pad]"
    return (
        Mistake("MaxPool2d", "dx", "pool-dx-padding-not-cropped",
                "the MaxPool2d dx keeps the padding",
                "the gradient of the padded input, padding rows and columns included",
                crop, lambda p: _uncropped(MaxPool2d, p)),
        Mistake("AvgPool2d", "dx", "pool-dx-padding-not-cropped",
                "the AvgPool2d dx keeps the padding",
                "the gradient of the padded input, padding rows and columns included",
                crop, lambda p: _uncropped(AvgPool2d, p)),
        Mistake("MaxPool2d", "out", "maxpool-padded-with-zeros",
                "the MaxPool2d pads with zeros",
                "0 wherever a border window holds only negative values",
                "pad with -inf (as torch): a padded position must never be the maximum",
                lambda p: windows(_padded(p), *_geometry(p)).max(axis=(-2, -1))),
        Mistake("AvgPool2d", "out", "avgpool-padding-excluded",
                "the AvgPool2d divides border windows by their real inputs only",
                "each window's sum over the inputs it covers, not over k²",
                "count the padded zeros (torch's count_include_pad=True): divide every "
                "window by k²",
                lambda p: windows(_padded(p), *_geometry(p)).sum(axis=(-2, -1))
                / _real_count(p)),
    )


PADDED_MISTAKES = _padded_models()
"""Only the padded variants (``harness.specs.pooling.PADDED``) show these: on an unpadded
case each equals the right answer, so the diagnosis never names it there."""
MISTAKES = (*MISTAKES, *PADDED_MISTAKES)
