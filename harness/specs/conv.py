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


PER_AXIS = [
    {"N": 1, "C": 2, "size": (6, 5), "F": 2, "kernel": (3, 2), "stride": (2, 1),
     "padding": (1, 0)},
    {"N": 2, "C": 1, "size": (5, 7), "F": 2, "kernel": (3, 3), "stride": (1, 2),
     "padding": (0, 1)},
]
"""(stride_h, stride_w) and (pad_h, pad_w), as torch's tuples: a library that takes only
one int for both axes (CS231n's conv_param) is told by their tuple value: its adapter's
``supports(layer, variant)`` declares them unsupported."""

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
        *PER_AXIS,
    ],
    draw=_draw, reference="reference.conv.Conv2d",
    doc="x NCHW, W (F, C, KH, KW), b (F,); stride and zero padding on both sides, an "
        "int or (h, w) per axis.",
)


# --- convfamily: transposed convolutions, W (C_in, C_out, *kernel) as in torch ---
# The last variant of each has padding = kernel - 1: what CMU 11-785's upsample-then-
# convolve ConvTranspose computes (harness.adapters.upsampled), so it has a case to run.


def _draw_transposed(rng, v) -> Draw:
    n, c, f, kernel = v["N"], v["C"], v["F"], v["kernel"]
    return Draw(
        inputs={"x": normal(rng, n, c, *v["size"])},
        params={"W": normal(rng, c, f, *kernel, scale=(c * math.prod(kernel)) ** -0.5),
                "b": normal(rng, f)},
        config={"stride": v["stride"], "padding": v["padding"]},
    )


CONV_TRANSPOSE1D = Spec(
    name="ConvTranspose1d", kind="layer", inputs=("x",), params=("W", "b"), wrt=("x", "W", "b"),
    variants=[
        {"N": 1, "C": 1, "size": (4,), "F": 1, "kernel": (3,), "stride": 1, "padding": 0},
        {"N": 2, "C": 3, "size": (4,), "F": 2, "kernel": (3,), "stride": 2, "padding": 1},
        {"N": 2, "C": 2, "size": (3,), "F": 3, "kernel": (2,), "stride": 3, "padding": 0},
        {"N": 2, "C": 2, "size": (4,), "F": 3, "kernel": (3,), "stride": 2, "padding": 2},
    ],
    draw=_draw_transposed, reference="reference.conv.ConvTranspose1d",
    doc="x (N, C_in, L), W (C_in, C_out, K), b (C_out,); out (N, C_out, (L-1)*stride "
        "- 2*padding + K), as torch's conv_transpose1d.",
)

CONV_TRANSPOSE2D = Spec(
    name="ConvTranspose2d", kind="layer", inputs=("x",), params=("W", "b"), wrt=("x", "W", "b"),
    variants=[
        {"N": 1, "C": 1, "size": (3, 3), "F": 1, "kernel": (2, 2), "stride": 1, "padding": 0},
        {"N": 2, "C": 2, "size": (3, 3), "F": 2, "kernel": (3, 3), "stride": 2, "padding": 1},
        {"N": 1, "C": 2, "size": (2, 3), "F": 3, "kernel": (2, 3), "stride": 2, "padding": 0},
        {"N": 1, "C": 2, "size": (3, 3), "F": 2, "kernel": (2, 2), "stride": 2, "padding": 1},
    ],
    draw=_draw_transposed, reference="reference.conv.ConvTranspose2d",
    doc="x NCHW, W (C_in, C_out, KH, KW), b (C_out,); out (H-1)*stride - 2*padding + KH "
        "by the same in W, as torch's conv_transpose2d.",
)

SPECS = (CONV1D, CONV2D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D)
