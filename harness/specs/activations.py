"""Specs of the element-wise activations and softmax."""

from __future__ import annotations

from harness.spec import Draw, Spec
from harness.specs.sampling import away_from_zero, normal

SHAPES = [{"shape": (1, 3)}, {"shape": (4, 5)}, {"shape": (2, 3, 4)}]


def _draw_kinked(rng, v) -> Draw:
    return Draw(inputs={"x": away_from_zero(rng, *v["shape"])}, params={})


def _draw_smooth(rng, v) -> Draw:
    return Draw(inputs={"x": normal(rng, *v["shape"], scale=1.5)}, params={})


def _draw_leaky(rng, v) -> Draw:
    return Draw(inputs={"x": away_from_zero(rng, *v["shape"])}, params={},
                config={"negative_slope": v.get("negative_slope", 0.01)})


def _draw_elu(rng, v) -> Draw:
    return Draw(inputs={"x": away_from_zero(rng, *v["shape"])}, params={},
                config={"alpha": v.get("alpha", 1.0)})


def _activation(name: str, draw, doc: str, variants=SHAPES) -> Spec:
    return Spec(name=name, kind="layer", inputs=("x",), params=(), wrt=("x",),
                variants=variants, draw=draw, doc=doc,
                reference=f"reference.activations.{name}")


SPECS = (
    _activation("ReLU", _draw_kinked, "max(x, 0); inputs kept at least 0.1 from 0."),
    _activation("LeakyReLU", _draw_leaky, "x if x > 0 else slope * x.",
                variants=[*SHAPES[:2], {"shape": (3, 4), "negative_slope": 0.2}]),
    _activation("Sigmoid", _draw_smooth, "1 / (1 + exp(-x))."),
    _activation("Tanh", _draw_smooth, "tanh(x)."),
    _activation("Softmax", _draw_smooth, "softmax over the last axis."),
    _activation("GELU", _draw_smooth, "x * Φ(x), the exact Gaussian CDF (not the tanh form)."),
    _activation("SiLU", _draw_smooth, "Swish with beta 1: x * sigmoid(x)."),
    _activation("ELU", _draw_elu, "x if x > 0 else alpha * (exp(x) - 1); inputs kept at "
                "least 0.1 from 0, where the second derivative jumps.",
                variants=[*SHAPES[:2], {"shape": (3, 4), "alpha": 0.5}]),
    _activation("Softplus", _draw_smooth, "log(1 + exp(x)) (beta 1); derivative sigmoid(x)."),
    _activation("Identity", _draw_smooth, "x unchanged; dx = dout."),
)
