"""Specs of the losses: scalar mean over the batch, upstream gradient 1.0."""

from __future__ import annotations

from harness.spec import Draw, Spec
from harness.specs.sampling import labels, normal, probabilities

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

SPECS = (MSE, BCE, CROSS_ENTROPY)
