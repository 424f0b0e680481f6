"""Mistakes in LayerNorm (axis 1), BatchNorm (axis 0, training mode) and the spatial
norms (SpatialBatchNorm, GroupNorm)."""

from __future__ import annotations

import numpy as np

from reference.mistakes.model import Mistake, Probe

AXES = {"LayerNorm": 1, "BatchNorm": 0}
WORDS = {0: "over the batch (axis 0)", 1: "over each sample's features (axis 1)"}


def _parts(p: Probe, axis: int, ddof: int = 0, means: int | None = None):
    """x̂, 1/std, dx̂ and the two terms the full backward subtracts from dx̂; the
    backward's means are taken along ``means`` (the statistics' axis unless given)."""
    x, means = p.x, axis if means is None else means
    centered = x - x.mean(axis=axis, keepdims=True)
    var = np.sum(centered**2, axis=axis, keepdims=True) / (x.shape[axis] - ddof)
    inv_std = 1.0 / np.sqrt(var + p.config["eps"])
    xhat = centered * inv_std
    dxhat = p.upstream * p.params["gamma"]
    mean = dxhat.mean(axis=means, keepdims=True)
    proj = xhat * np.mean(dxhat * xhat, axis=means, keepdims=True)
    return xhat, inv_std, dxhat, mean, proj


def _out(p: Probe, axis: int, ddof: int = 0) -> np.ndarray:
    xhat = _parts(p, axis, ddof)[0]
    return p.params["gamma"] * xhat + p.params["beta"]


def _dx(p: Probe, axis: int, drop: tuple[str, ...] = (), means: int | None = None
        ) -> np.ndarray:
    _, inv_std, dxhat, mean, proj = _parts(p, axis, means=means)
    return inv_std * (dxhat - (0 if "mean" in drop else mean) - (0 if "var" in drop else proj))


def _family(layer: str) -> tuple[Mistake, ...]:
    axis, other = AXES[layer], 1 - AXES[layer]
    return (
        Mistake(
            layer, "dx", "norm-dx-no-mean-term",
            f"the {layer} backward drops the gradient through the mean",
            "(dx̂ - x̂ · mean(dx̂ · x̂)) / std: the term -mean(dx̂) is missing",
            "dx = (dx̂ - mean(dx̂) - x̂ · mean(dx̂ · x̂)) / std, means taken "
            f"{WORDS[axis]}",
            lambda p: _dx(p, axis, ("mean",)),
        ),
        Mistake(
            layer, "dx", "norm-dx-no-variance-term",
            f"the {layer} backward drops the gradient through the variance",
            "(dx̂ - mean(dx̂)) / std: the term -x̂ · mean(dx̂ · x̂) is missing",
            "dx = (dx̂ - mean(dx̂) - x̂ · mean(dx̂ · x̂)) / std",
            lambda p: _dx(p, axis, ("var",)),
        ),
        Mistake(
            layer, "dx", "norm-dx-constant-statistics",
            f"the {layer} backward treats the mean and variance as constants",
            "dx̂ / std alone: neither the mean nor the variance term",
            "dx = (dx̂ - mean(dx̂) - x̂ · mean(dx̂ · x̂)) / std: both statistics depend "
            "on x",
            lambda p: _dx(p, axis, ("mean", "var")),
        ),
        Mistake(
            layer, "dx", "norm-dx-no-gamma",
            f"the {layer} backward forgets to multiply dout by gamma",
            "the right formula with dx̂ = dout instead of dout · gamma",
            "start from dx̂ = dout * gamma",
            lambda p: _dx(Probe(p.inputs, {**p.params, "gamma": np.ones_like(
                p.params["gamma"])}, p.config, p.upstream), axis),
        ),
        Mistake(
            layer, "out", "norm-wrong-axis",
            f"the {layer} output is normalized along the wrong axis",
            f"statistics taken {WORDS[other]}",
            f"take the mean and variance {WORDS[axis]}",
            lambda p: _out(p, other),
        ),
        Mistake(
            layer, "dx", "norm-wrong-axis",
            f"the {layer} backward takes its means along the wrong axis",
            f"the right formula with the backward's means taken {WORDS[other]}",
            f"take every mean of the backward {WORDS[axis]}, like the forward",
            lambda p: _dx(p, axis, means=other),
        ),
        Mistake(
            layer, "out", "norm-unbiased-variance",
            f"the {layer} output uses the unbiased variance",
            "the variance divided by n - 1 (np.var(..., ddof=1), or torch.var's default)",
            "the biased variance: divide by n (np.var's default, ddof=0)",
            lambda p: _out(p, axis, ddof=1),
        ),
        Mistake(
            layer, "dgamma", "norm-dgamma-no-xhat",
            f"the {layer} dgamma forgets the normalized input",
            "sum(dout, axis=0), which is dbeta",
            "dgamma = sum(dout * x̂, axis=0)",
            lambda p: p.upstream.sum(axis=0),
        ),
        Mistake(
            layer, "dgamma", "norm-dgamma-not-summed",
            f"the {layer} dgamma is not summed over the batch",
            "dout * x̂, one row per sample",
            "dgamma = sum(dout * x̂, axis=0)",
            lambda p: p.upstream * _parts(p, axis)[0],
        ),
    )





def _standardized_over(p: Probe, grouped: tuple[int, ...], axes: tuple[int, ...]) -> np.ndarray:
    """gamma * x̂ + beta with x̂ taken over ``axes`` of x reshaped to ``grouped``."""
    x = p.x.reshape(grouped)
    mu, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    xhat = ((x - mu) / np.sqrt(var + p.config.get("eps", 1e-5))).reshape(p.x.shape)
    return p.params["gamma"][:, None, None] * xhat + p.params["beta"][:, None, None]


def _groups(p: Probe) -> tuple[int, ...]:
    n, c, h, w = p.x.shape
    return n, p.config["G"], c // p.config["G"], h, w


def _counted_over(p: Probe, grouped: tuple[int, ...], axes: tuple[int, ...],
                  count: int) -> np.ndarray:
    """The backward through x̂ over ``axes`` of x reshaped to ``grouped``, with its two sums
    divided by ``count`` instead of by the number of elements they add up."""
    x = p.x.reshape(grouped)
    centered = x - x.mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(np.mean(centered**2, axis=axes, keepdims=True)
                            + p.config.get("eps", 1e-5))
    xhat = centered * inv_std
    dxhat = (p.upstream * p.params["gamma"][:, None, None]).reshape(grouped)
    dx = inv_std * (dxhat - (dxhat.sum(axis=axes, keepdims=True)
                             + xhat * np.sum(dxhat * xhat, axis=axes, keepdims=True)) / count)
    return dx.reshape(p.x.shape)


def _count(layer: str, reduced: str, counted: str, value) -> Mistake:
    return Mistake(
        layer, "dx", "norm-dx-wrong-count",
        f"the {layer} backward divides its sums by {counted}, not by {reduced}",
        f"the BatchNorm formula with the sums over {reduced} divided by {counted}: the "
        "count of plain BatchNorm, which has no spatial axes",
        f"m = {reduced} elements enter each statistic: dx = (dx̂ - sum(dx̂)/m - x̂ · "
        "sum(dx̂ · x̂)/m) / std",
        value,
    )


COUNTS = (
    _count("SpatialBatchNorm", "N*H*W", "N",
           lambda p: _counted_over(p, p.x.shape, (0, 2, 3), p.x.shape[0])),
    _count("GroupNorm", "(C/G)*H*W", "C/G",
           lambda p: _counted_over(p, _groups(p), (2, 3, 4), _groups(p)[2])),
)
SPATIAL = (
    Mistake(
        "SpatialBatchNorm", "out", "norm-wrong-axis",
        "the SpatialBatchNorm statistics are taken per (C, H, W) position over the batch "
        "only",
        "x normalized with x.mean(axis=0) and x.var(axis=0), as BatchNorm on an "
        "unflattened input: one mean per channel and pixel",
        "one mean and variance per channel, over (N, H, W): mean(axis=(0, 2, 3)), or "
        "transpose to (N*H*W, C) and run BatchNorm",
        lambda p: _standardized_over(p, p.x.shape, (0,)),
    ),
    Mistake(
        "GroupNorm", "out", "norm-wrong-axis",
        "the GroupNorm statistics are taken per spatial position",
        "each group normalized over its C/G channels only, one mean per sample, group "
        "and pixel",
        "one mean and variance per sample and group, over (C/G, H, W): reshape to "
        "(N, G, C/G, H, W) and reduce axes (2, 3, 4)",
        lambda p: _standardized_over(p, _groups(p), (2,)),
    ),
)
MISTAKES = (*_family("LayerNorm"), *_family("BatchNorm"), *SPATIAL, *COUNTS)
