"""Specs of LayerNorm and BatchNorm (training mode) on (N, D) inputs."""

from __future__ import annotations

from harness.spec import Draw, Spec
from harness.specs.sampling import normal, spread


def _draw(axis: int):
    """Inputs with a clear spread along the normalized ``axis``, and non-trivial gamma, beta."""

    def draw(rng, v) -> Draw:
        n, d = v["N"], v["D"]
        return Draw(
            inputs={"x": spread(rng, n, d, axis=axis)},
            params={"gamma": 1.0 + normal(rng, d, scale=0.5), "beta": normal(rng, d)},
            config={"eps": v.get("eps", 1e-5)},
        )

    return draw


def _normalization(name: str, axis: int, variants: list[dict], doc: str) -> Spec:
    return Spec(name=name, kind="layer", inputs=("x",), params=("gamma", "beta"),
                wrt=("x", "gamma", "beta"), variants=variants, draw=_draw(axis),
                reference=f"reference.normalization.{name}", doc=doc)


LAYER_NORM = _normalization(
    "LayerNorm", 1,
    [{"N": 1, "D": 4}, {"N": 3, "D": 5}, {"N": 4, "D": 7, "eps": 1e-3}],
    "gamma * (x - mean) / sqrt(var + eps) + beta over the last axis of x (N, D).",
)

BATCH_NORM = _normalization(
    "BatchNorm", 0,
    # At least three samples: one standardizes to 0 (PyTorch refuses it) and two to ±1
    # whatever x is, leaving a gradient of x that is only eps-sized rounding noise.
    [{"N": 3, "D": 3}, {"N": 5, "D": 4}, {"N": 7, "D": 2, "eps": 1e-3}],
    "training mode: x (N, D) standardized per feature with batch mean and biased "
    "variance, then gamma * x̂ + beta.",
)

SPECS = (LAYER_NORM, BATCH_NORM)
