"""Specs of the per-time-step layers: temporal affine and the masked temporal softmax loss."""

from __future__ import annotations

import numpy as np

from harness.spec import Draw, Spec
from harness.specs.sampling import normal


def _draw_affine(rng, v) -> Draw:
    n, t, d, m = v["N"], v["T"], v["D"], v["M"]
    return Draw(inputs={"x": normal(rng, n, t, d)},
                params={"W": normal(rng, d, m), "b": normal(rng, m)})


def _draw_loss(rng, v) -> Draw:
    """Scores, targets, and a mask with at least one step kept and one masked out."""
    n, t, vocab = v["N"], v["T"], v["V"]
    if n * t < 2:
        raise ValueError("a masked sequence loss needs two steps, one kept and one masked")
    while True:
        mask = rng.random((n, t)) < 0.7
        if mask.any() and not mask.all():
            break
    target = rng.integers(0, vocab, size=(n, t)).astype(np.int64)
    return Draw(inputs={"x": normal(rng, n, t, vocab, scale=1.5), "target": target,
                        "mask": mask}, params={})


TEMPORAL_AFFINE = Spec(
    name="TemporalAffine", kind="layer", inputs=("x",), params=("W", "b"), wrt=("x", "W", "b"),
    variants=[{"N": 1, "T": 3, "D": 4, "M": 2}, {"N": 2, "T": 4, "D": 3, "M": 5},
              {"N": 3, "T": 2, "D": 5, "M": 3}],
    draw=_draw_affine, reference="reference.temporal.TemporalAffine",
    doc="x @ W + b at every step: x (N, T, D), W (D, M), b (M,) -> (N, T, M); dW and db "
        "sum over the batch and time.",
)

TEMPORAL_SOFTMAX_LOSS = Spec(
    name="TemporalSoftmaxLoss", kind="loss", inputs=("x", "target", "mask"), params=(),
    wrt=("x",),
    variants=[{"N": 1, "T": 3, "V": 4}, {"N": 3, "T": 4, "V": 5}, {"N": 2, "T": 5, "V": 3}],
    draw=_draw_loss, reference="reference.temporal.TemporalSoftmaxLoss",
    doc="softmax cross-entropy of x (N, T, V) against int64 target (N, T) where the bool "
        "mask (N, T) is true, summed over time and divided by N (CS231n).",
)

SPECS = (TEMPORAL_AFFINE, TEMPORAL_SOFTMAX_LOSS)
