"""Specs of the normalizations: LayerNorm and BatchNorm (training mode) on (N, D) inputs,
spatial BatchNorm and GroupNorm on (N, C, H, W)."""

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
    # eps 1e-8 is the value some libraries fix in their code (a case they can run).
    [{"N": 3, "D": 3}, {"N": 5, "D": 4}, {"N": 7, "D": 2, "eps": 1e-3},
     {"N": 4, "D": 3, "eps": 1e-8}],
    "training mode: x (N, D) standardized per feature with batch mean and biased "
    "variance, then gamma * x̂ + beta.",
)

def _draw_spatial(groups: bool):
    """NCHW inputs whose every standardized slice (a channel over N, H, W; or a sample's
    group over C/G, H, W) has a std of at least 0.5, with per-channel gamma and beta."""

    def draw(rng, v) -> Draw:
        n, c, (h, w) = v["N"], v["C"], v["size"]
        if groups:
            g = v["G"]
            x = spread(rng, n, g, c // g, h, w, axis=(2, 3, 4)).reshape(n, c, h, w)
        else:
            x = spread(rng, n, c, h, w, axis=(0, 2, 3))
        config = {"G": v["G"]} if groups else {}
        return Draw(inputs={"x": x},
                    params={"gamma": 1.0 + normal(rng, c, scale=0.5), "beta": normal(rng, c)},
                    config={**config, "eps": v.get("eps", 1e-5)})

    return draw


SPATIAL_BATCH_NORM = Spec(
    name="SpatialBatchNorm", kind="layer", inputs=("x",), params=("gamma", "beta"),
    wrt=("x", "gamma", "beta"),
    variants=[{"N": 1, "C": 2, "size": (2, 3)}, {"N": 3, "C": 2, "size": (3, 2)},
              {"N": 2, "C": 3, "size": (2, 3), "eps": 1e-3}],
    draw=_draw_spatial(groups=False), reference="reference.normalization.SpatialBatchNorm",
    doc="BatchNorm2d, training mode: x (N, C, H, W) standardized per channel over (N, H, W) "
        "with the biased variance; gamma, beta (C,).",
)

GROUP_NORM = Spec(
    name="GroupNorm", kind="layer", inputs=("x",), params=("gamma", "beta"),
    wrt=("x", "gamma", "beta"),
    # Every group holds at least 8 values: with 2 a group standardizes to ±1 whatever x is.
    variants=[{"N": 1, "C": 2, "size": (2, 2), "G": 1}, {"N": 2, "C": 4, "size": (2, 2), "G": 2},
              {"N": 2, "C": 6, "size": (2, 3), "G": 3, "eps": 1e-3},
              {"N": 1, "C": 4, "size": (3, 3), "G": 4}],
    draw=_draw_spatial(groups=True), reference="reference.normalization.GroupNorm",
    doc="x (N, C, H, W) in G groups of C/G channels, each standardized per sample over "
        "(C/G, H, W); gamma, beta (C,) per channel.",
)

SPECS = (LAYER_NORM, BATCH_NORM, SPATIAL_BATCH_NORM, GROUP_NORM)
