"""Spec of inverted dropout with an explicit, seeded mask."""

from __future__ import annotations

from harness.spec import Draw, Spec
from harness.specs.sampling import normal


def _draw(rng, v) -> Draw:
    shape, p = v["shape"], v["p"]
    mask = (rng.random(shape) >= p).astype(float)
    return Draw(inputs={"x": normal(rng, *shape), "mask": mask}, params={}, config={"p": p})


DROPOUT = Spec(
    name="Dropout", kind="layer", inputs=("x", "mask"), params=(), wrt=("x",),
    variants=[
        {"shape": (1, 3), "p": 0.5},
        {"shape": (4, 5), "p": 0.2},
        {"shape": (2, 3, 4), "p": 0.5},
    ],
    draw=_draw, reference="reference.dropout.Dropout",
    doc="x * mask / (1 - p); mask is a constant 0/1 input drawn from the case's seed.",
)

SPECS = (DROPOUT,)
