"""Spec of the fully connected layer."""

from __future__ import annotations

from harness.spec import Draw, Spec
from harness.specs.sampling import normal


def _draw(rng, v) -> Draw:
    n, d, m = v["N"], v["D"], v["M"]
    return Draw(
        inputs={"x": normal(rng, n, d)},
        params={"W": normal(rng, d, m, scale=d**-0.5), "b": normal(rng, m)},
    )


LINEAR = Spec(
    name="Linear",
    kind="layer",
    inputs=("x",),
    params=("W", "b"),
    wrt=("x", "W", "b"),
    variants=[
        {"N": 1, "D": 3, "M": 2},
        {"N": 4, "D": 5, "M": 3},
        {"N": 7, "D": 2, "M": 6},
        # Square W: a transposed dW has the right shape and must be caught by value.
        {"N": 3, "D": 4, "M": 4},
    ],
    draw=_draw,
    reference="reference.linear.Linear",
    doc="out = x @ W + b; x (N, D), W (D, M), b (M,).",
)

SPECS = (LINEAR,)
