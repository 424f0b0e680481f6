"""Specs of the losses: scalar mean over the batch, upstream gradient 1.0."""

from __future__ import annotations

import numpy as np

from harness.spec import Draw, Spec
from harness.specs.sampling import KINK_GAP, labels, normal, probabilities

BATCHES = [{"N": 1, "C": 1}, {"N": 4, "C": 3}, {"N": 5, "C": 2}]


def _draw_mse(rng, v) -> Draw:
    shape = (v["N"], v["C"])
    return Draw(inputs={"x": normal(rng, *shape), "target": normal(rng, *shape)}, params={})


def _draw_bce(rng, v) -> Draw:
    shape = (v["N"], v["C"])
    target = probabilities(rng, *shape, margin=0.0)
    if not v["soft"]:
        target = (target > 0.5).astype(float)
    return Draw(inputs={"x": probabilities(rng, *shape), "target": target}, params={})


def _draw_cross_entropy(rng, v) -> Draw:
    n, c = v["N"], v["C"]
    return Draw(inputs={"x": normal(rng, n, c, scale=1.5), "target": labels(rng, n, c)}, params={})


def _draw_svm(rng, v) -> Draw:
    """Scores whose every margin ``x_j - x_y + 1`` is at least ``KINK_GAP`` from the hinge."""
    n, c = v["N"], v["C"]
    target = labels(rng, n, c)
    x = normal(rng, n, c, scale=1.5)
    while True:
        margins = x - x[np.arange(n), target][:, None] + 1.0
        margins[np.arange(n), target] = 1.0
        near = np.abs(margins).min(axis=1) < KINK_GAP
        if not near.any():
            return Draw(inputs={"x": x, "target": target}, params={})
        x[near] = normal(rng, int(near.sum()), c, scale=1.5)


MSE = Spec(
    name="MSELoss", kind="loss", inputs=("x", "target"), params=(), wrt=("x",),
    variants=BATCHES, draw=_draw_mse, reference="reference.losses.MSELoss",
    doc="mean((x - target)**2) over every element.",
)

BCE = Spec(
    name="BCELoss", kind="loss", inputs=("x", "target"), params=(), wrt=("x",),
    variants=[{**BATCHES[0], "soft": False}, {**BATCHES[1], "soft": True},
              {**BATCHES[2], "soft": False}],
    draw=_draw_bce, reference="reference.losses.BCELoss",
    doc="mean binary cross-entropy of probabilities x (kept in [0.05, 0.95]) against "
        "0/1 or soft targets.",
)

CROSS_ENTROPY = Spec(
    name="CrossEntropy", kind="loss", inputs=("x", "target"), params=(), wrt=("x",),
    variants=[{"N": 1, "C": 2}, {"N": 4, "C": 3}, {"N": 5, "C": 7}],
    draw=_draw_cross_entropy, reference="reference.losses.CrossEntropy",
    doc="mean over the batch of -log softmax(x)[target]; x logits (N, C), target int64 (N,).",
)

SVM = Spec(
    name="SVMLoss", kind="loss", inputs=("x", "target"), params=(), wrt=("x",),
    variants=[{"N": 1, "C": 3}, {"N": 4, "C": 5}, {"N": 6, "C": 10}],
    draw=_draw_svm, reference="reference.losses.SVMLoss",
    doc="multiclass hinge (CS231n svm_loss): mean over the batch of the sum over j != y of "
        "max(0, x_j - x_y + 1); x scores (N, C), target int64 (N,).",
)

SPECS = (MSE, BCE, CROSS_ENTROPY, SVM)
