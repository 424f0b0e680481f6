"""Specs of 2-D (NCHW) and 1-D (NCL) max and average pooling, no padding."""

from __future__ import annotations

from harness.spec import Draw, Spec
from harness.specs.sampling import distinct, normal

VARIANTS = [
    {"N": 1, "C": 1, "size": (4, 4), "kernel_size": 2, "stride": 2},
    {"N": 2, "C": 3, "size": (5, 5), "kernel_size": 3, "stride": 2},
    {"N": 2, "C": 2, "size": (5, 6), "kernel_size": 2, "stride": 1},
    {"N": 1, "C": 2, "size": (7, 6), "kernel_size": 3, "stride": 3},
]
"""Non-overlapping, overlapping (stride < kernel), non-square and ragged (edges dropped)."""


def _draw_with(values):
    def draw(rng, v) -> Draw:
        return Draw(inputs={"x": values(rng, v["N"], v["C"], *v["size"])}, params={},
                    config={"kernel_size": v["kernel_size"], "stride": v["stride"]})

    return draw


def _pool(name: str, values, doc: str) -> Spec:
    return Spec(name=name, kind="layer", inputs=("x",), params=(), wrt=("x",),
                variants=VARIANTS, draw=_draw_with(values),
                reference=f"reference.pooling.{name}", doc=doc)


# --- convfamily: 1-D pooling (NCL) ---

VARIANTS_1D = [
    {"N": 1, "C": 1, "size": (4,), "kernel_size": 2, "stride": 2},
    {"N": 2, "C": 3, "size": (7,), "kernel_size": 3, "stride": 2},
    {"N": 2, "C": 2, "size": (6,), "kernel_size": 2, "stride": 1},
    {"N": 1, "C": 2, "size": (8,), "kernel_size": 3, "stride": 3},
]
"""As in 2-D: non-overlapping, overlapping, stride 1 and ragged (the last window dropped)."""


def _pool1d(name: str, values, doc: str) -> Spec:
    return Spec(name=name, kind="layer", inputs=("x",), params=(), wrt=("x",),
                variants=VARIANTS_1D, draw=_draw_with(values),
                reference=f"reference.pooling.{name}", doc=doc)


SPECS = (
    _pool("MaxPool2d", distinct,
          "max of each window; inputs pairwise distinct so every window has one maximum."),
    _pool("AvgPool2d", normal, "mean of each kernel_size x kernel_size window."),
    _pool1d("MaxPool1d", distinct,
            "(N, C, L): max of each kernel_size window; inputs pairwise distinct."),
    _pool1d("AvgPool1d", normal, "(N, C, L): mean of each kernel_size window."),
)
