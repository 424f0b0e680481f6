"""Specs of 2-D (NCHW, some variants padded) and 1-D (NCL) max and average pooling."""

from __future__ import annotations

from harness.spec import Draw, Spec
from harness.specs.sampling import distinct, normal

PADDED = [
    {"N": 1, "C": 2, "size": (5, 5), "kernel_size": 3, "stride": 2, "padding": 1},
    {"N": 2, "C": 1, "size": (4, 5), "kernel_size": 2, "stride": 2, "padding": 1},
]
"""Padded pooling, torch semantics: max pads with -inf, average counts the padded zeros
(``count_include_pad=True``). Only these variants pass ``padding`` to the layer, so the
adapter of a library without it tells them by the key and declares them unsupported
(``supports``: CS231n's pool_param has no padding)."""

VARIANTS = [
    {"N": 1, "C": 1, "size": (4, 4), "kernel_size": 2, "stride": 2},
    {"N": 2, "C": 3, "size": (5, 5), "kernel_size": 3, "stride": 2},
    {"N": 2, "C": 2, "size": (5, 6), "kernel_size": 2, "stride": 1},
    {"N": 1, "C": 2, "size": (7, 6), "kernel_size": 3, "stride": 3},
    *PADDED,
]
"""Non-overlapping, overlapping (stride < kernel), non-square, ragged (edges dropped),
then padded by 1 on every side (square and non-square)."""


BELOW_ZERO = 2.5
"""Padded max-pool inputs are shifted below zero: a pool that pads with 0 instead of
-inf then returns 0 at every border window, which shows."""


def _draw_with(values, shift: float = 0.0):
    def draw(rng, v) -> Draw:
        x = values(rng, v["N"], v["C"], *v["size"])
        config = {"kernel_size": v["kernel_size"], "stride": v["stride"]}
        if "padding" in v:
            config["padding"] = v["padding"]
            x = x - shift
        return Draw(inputs={"x": x}, params={}, config=config)

    return draw


def _pool(name: str, values, doc: str, shift: float = 0.0) -> Spec:
    return Spec(name=name, kind="layer", inputs=("x",), params=(), wrt=("x",),
                variants=VARIANTS, draw=_draw_with(values, shift),
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
          "max of each window; inputs pairwise distinct so every window has one maximum; "
          "padding (some variants) is -inf.", shift=BELOW_ZERO),
    _pool("AvgPool2d", normal, "mean of each kernel_size x kernel_size window; padding "
          "(some variants) is zeros counted in the mean."),
    _pool1d("MaxPool1d", distinct,
            "(N, C, L): max of each kernel_size window; inputs pairwise distinct."),
    _pool1d("AvgPool1d", normal, "(N, C, L): mean of each kernel_size window."),
)
