"""Spec of Flatten, (N, C, H, W) or (N, C, W) -> one row per sample."""

from __future__ import annotations

from harness.spec import Draw, Spec
from harness.specs.sampling import normal


def _draw(rng, v) -> Draw:
    return Draw(inputs={"x": normal(rng, *v["shape"])}, params={})


FLATTEN = Spec(
    name="Flatten", kind="layer", inputs=("x",), params=(), wrt=("x",),
    variants=[{"shape": (1, 1, 2, 2)}, {"shape": (2, 3, 4, 4)}, {"shape": (3, 2, 3, 5)},
              {"shape": (2, 3, 5)}],
    draw=_draw, reference="reference.flatten.Flatten",
    doc="reshape to (N, C*H*W) in C order (a 1-D signal (N, C, W) to (N, C*W)); backward "
        "reshapes back.",
)

SPECS = (FLATTEN,)
