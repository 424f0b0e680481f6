"""Specs of Conv1d and Conv2d (cross-correlation, zero padding on both sides)."""

from __future__ import annotations

import math

from harness.spec import Draw, Spec
from harness.specs.sampling import normal


def _draw(rng, v) -> Draw:
    n, c, f, kernel = v["N"], v["C"], v["F"], v["kernel"]
    return Draw(
        inputs={"x": normal(rng, n, c, *v["size"])},
        params={"W": normal(rng, f, c, *kernel, scale=(c * math.prod(kernel)) ** -0.5),
                "b": normal(rng, f)},
        config={"stride": v["stride"], "padding": v["padding"]},
    )


CONV1D = Spec(
    name="Conv1d", kind="layer", inputs=("x",), params=("W", "b"), wrt=("x", "W", "b"),
    variants=[
        {"N": 1, "C": 1, "size": (5,), "F": 1, "kernel": (3,), "stride": 1, "padding": 0},
        {"N": 2, "C": 3, "size": (7,), "F": 4, "kernel": (3,), "stride": 2, "padding": 1},
        {"N": 3, "C": 2, "size": (8,), "F": 3, "kernel": (2,), "stride": 3, "padding": 2},
    ],
    draw=_draw, reference="reference.conv.Conv1d",
    doc="x (N, C, L), W (F, C, K), b (F,); stride and zero padding on both sides.",
)

CONV2D = Spec(
    name="Conv2d", kind="layer", inputs=("x",), params=("W", "b"), wrt=("x", "W", "b"),
    variants=[
        {"N": 1, "C": 1, "size": (5, 5), "F": 2, "kernel": (3, 3), "stride": 1, "padding": 0},
        {"N": 2, "C": 3, "size": (6, 6), "F": 4, "kernel": (3, 3), "stride": 2, "padding": 1},
        {"N": 2, "C": 2, "size": (5, 6), "F": 3, "kernel": (2, 3), "stride": 1, "padding": 1},
        {"N": 1, "C": 3, "size": (6, 5), "F": 2, "kernel": (3, 2), "stride": 2, "padding": 0},
    ],
    draw=_draw, reference="reference.conv.Conv2d",
    doc="x NCHW, W (F, C, KH, KW), b (F,); int stride and zero padding on both sides.",
)

SPECS = (CONV1D, CONV2D)
