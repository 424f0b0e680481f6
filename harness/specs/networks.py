"""Specs of the small networks: scalar loss, differentiated with respect to parameters.

Each draw is a tiny data set (inputs and targets) and an initialization. Initializations
are redrawn until every ReLU pre-activation is at least ``KINK_GAP`` from 0 on every
sample, so no finite-difference probe of a weight can switch a unit on or off.
"""

from __future__ import annotations

import numpy as np

from harness.spec import Draw, Spec
from harness.specs.sampling import KINK_GAP, labels, normal

XOR_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def _hidden_away_from_kink(rng, x: np.ndarray, fan_in: int, width: int) -> dict:
    """``W1`` (fan_in, width) and ``b1`` (width,) with ``|x @ W1 + b1| >= KINK_GAP``."""
    while True:
        W1, b1 = normal(rng, fan_in, width), normal(rng, width, scale=0.5)
        if np.abs(x @ W1 + b1).min() >= KINK_GAP:
            return {"W1": W1, "b1": b1}


def _output_layer(rng, width: int) -> dict:
    return {"W2": normal(rng, width, 1, scale=width**-0.5), "b2": normal(rng, 1, scale=0.5)}


def _draw_linear_regression(rng, v) -> Draw:
    x = rng.uniform(0.0, 5.0, size=(v["N"], 1))
    return Draw(inputs={"x": x, "target": 3.0 * x + 2.0},
                params={"W": normal(rng, 1, 1), "b": normal(rng, 1)})


def _draw_regression_mlp(rng, v) -> Draw:
    x = rng.uniform(-5.0, 5.0, size=(v["N"], 1))
    params = {**_hidden_away_from_kink(rng, x, 1, 2), **_output_layer(rng, 2)}
    return Draw(inputs={"x": x, "target": 2.0 * x + 1.0}, params=params)


def _draw_xor(rng, v) -> Draw:
    """XOR's corners: all four, ``repeat`` times each with ``jitter``, or the first ``N``."""
    corners = np.tile(XOR_CORNERS, (v.get("repeat", 1), 1))[: v.get("N")]
    target = np.logical_xor(corners[:, :1], corners[:, 1:]).astype(float)
    x = corners + rng.uniform(-1, 1, size=corners.shape) * v.get("jitter", 0.0)
    params = {**_hidden_away_from_kink(rng, x, 2, 4), **_output_layer(rng, 4)}
    return Draw(inputs={"x": x, "target": target}, params=params)


def _draw_two_layer(rng, v) -> Draw:
    """A batch of ``N`` samples in ``D`` features and ``C`` classes; ``H`` hidden ReLUs."""
    n, d, h, c = v["N"], v["D"], v["H"], v["C"]
    x = normal(rng, n, d)
    params = {**_hidden_away_from_kink(rng, x, d, h),
              "W2": normal(rng, h, c, scale=h**-0.5), "b2": normal(rng, c, scale=0.5)}
    return Draw(inputs={"x": x, "target": labels(rng, n, c)}, params=params,
                config={"reg": v["reg"]})


def _draw_sigmoid(rng, v) -> Draw:
    """One column-vector sample, targets in (0, 1), weights (out, in), column biases."""
    d, h, m = v["D"], v["H"], v["M"]
    params = {"W1": normal(rng, h, d), "b1": normal(rng, h, 1),
              "W2": normal(rng, m, h), "b2": normal(rng, m, 1)}
    return Draw(inputs={"x": normal(rng, d, 1), "target": rng.uniform(0.0, 1.0, (m, 1))},
                params=params)


def _network(name: str, params: tuple[str, ...], variants: list[dict], draw, doc: str) -> Spec:
    return Spec(name=name, kind="network", inputs=("x", "target"), params=params, wrt=params,
                variants=variants, draw=draw, reference=f"reference.networks.{name}", doc=doc)


SPECS = (
    _network("LinearRegression", ("W", "b"), [{"N": 1}, {"N": 8}, {"N": 5}],
             _draw_linear_regression, "Linear 1 -> 1, MSE on y = 3x + 2, x in [0, 5]."),
    _network("RegressionMLP", ("W1", "b1", "W2", "b2"), [{"N": 1}, {"N": 6}, {"N": 11}],
             _draw_regression_mlp,
             "Linear 1 -> 2, ReLU, Linear 2 -> 1, MSE on y = 2x + 1, x in [-5, 5]."),
    _network("XORNet", ("W1", "b1", "W2", "b2"),
             [{}, {"N": 1}, {"repeat": 2, "jitter": 0.1}, {"repeat": 3, "N": 9, "jitter": 0.05}],
             _draw_xor,
             "Linear 2 -> 4, ReLU, Linear 4 -> 1, Sigmoid, BCE on XOR's corners."),
    _network("TwoLayerNet", ("W1", "b1", "W2", "b2"),
             [{"N": 1, "D": 3, "H": 4, "C": 2, "reg": 0.0},
              {"N": 5, "D": 4, "H": 6, "C": 3, "reg": 0.1},
              {"N": 8, "D": 3, "H": 5, "C": 4, "reg": 0.05}],
             _draw_two_layer,
             "CS231n two-layer net: affine, ReLU, affine, softmax cross-entropy (batch mean) "
             "+ 0.5 * reg * (|W1|² + |W2|²); x (N, D), target int64 (N,)."),
    _network("SigmoidNet", ("W1", "b1", "W2", "b2"),
             [{"D": 1, "H": 2, "M": 1}, {"D": 3, "H": 4, "M": 2}, {"D": 4, "H": 3, "M": 3}],
             _draw_sigmoid,
             "the classic book's backprop(x, y): sigmoid layers on one column sample x (D, 1), "
             "W (out, in), b (out, 1), cost 0.5 * |a - y|²."),
)
