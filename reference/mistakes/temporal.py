"""Mistakes in the per-time-step layers: temporal affine and the masked softmax loss."""

from __future__ import annotations

import numpy as np

from reference.mistakes.model import Mistake, Probe
from reference.temporal import TemporalSoftmaxLoss


def _loss(p: Probe, mask: np.ndarray, divisor: float) -> np.ndarray:
    """The temporal softmax loss with another mask and another divisor than N."""
    layer = TemporalSoftmaxLoss()
    n = len(p.x)
    return layer.forward(p.x, p.inputs["target"], mask) * n / divisor


def _dx(p: Probe, mask: np.ndarray) -> np.ndarray:
    layer = TemporalSoftmaxLoss()
    layer.forward(p.x, p.inputs["target"], mask)
    return layer.backward(p.upstream)["x"]


def _ones(p: Probe) -> np.ndarray:
    return np.ones_like(p.inputs["mask"])


MISTAKES = (
    Mistake("TemporalSoftmaxLoss", "out", "temporal-loss-unmasked",
            "the temporal softmax loss counts the masked-out steps",
            "the cross-entropy summed over every step, mask ignored",
            "multiply each step's loss by mask before summing: -sum(mask * log p[y]) / N",
            lambda p: _loss(p, _ones(p), len(p.x))),
    Mistake("TemporalSoftmaxLoss", "out", "temporal-loss-mean-over-steps",
            "the temporal softmax loss is averaged over the kept steps instead of the batch",
            "-sum(mask * log p[y]) / mask.sum()",
            "divide by N, the batch size (CS231n sums over time and averages over the batch)",
            lambda p: _loss(p, p.inputs["mask"], float(p.inputs["mask"].sum()))),
    Mistake("TemporalSoftmaxLoss", "dx", "temporal-dx-unmasked",
            "the temporal softmax gradient is not zeroed at masked-out steps",
            "(softmax - onehot) / N at every step",
            "multiply dx by mask[:, :, None]: a masked step does not reach the loss",
            lambda p: _dx(p, _ones(p))),
    Mistake("TemporalAffine", "out", "temporal-affine-no-bias",
            "the temporal affine forward leaves out the bias",
            "x @ W",
            "out = x @ W + b at every step",
            lambda p: p.x @ p.params["W"]),
    Mistake("TemporalAffine", "dW", "temporal-dw-last-step",
            "the temporal affine dW keeps only the last step",
            "x[:, -1].T @ dout[:, -1]",
            "sum over every step and sample: x.reshape(-1, D).T @ dout.reshape(-1, M)",
            lambda p: p.x[:, -1].T @ p.upstream[:, -1]),
)
