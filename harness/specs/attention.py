"""Specs of scaled dot-product attention and multi-head attention.

Attention's softmax saturates when a row of scores spreads widely: the weights become
0 and 1, their gradient vanishes and a float32 implementation's rounding dominates.
Draws are redrawn until every row of scores (the unmasked part) spans at most
``SCORE_SPAN``, so every weight is at least e^-4 / T of its row and no row is one-hot.
"""

from __future__ import annotations

import numpy as np

from harness.spec import Draw, Spec
from harness.specs.sampling import MAX_REDRAWS, normal

SCORE_SPAN = 4.0
"""Largest max - min of one row of scaled scores q·k / sqrt(D)."""
PROJECTIONS = ("q", "k", "v", "o")


def _span_ok(q: np.ndarray, k: np.ndarray, causal: bool) -> bool:
    """Every row of scaled scores spans at most ``SCORE_SPAN`` (masked keys left out)."""
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if causal:
        keep = np.tril(np.ones(scores.shape[-2:], dtype=bool))
        high = np.where(keep, scores, -np.inf).max(axis=-1)
        low = np.where(keep, scores, np.inf).min(axis=-1)
    else:
        high, low = scores.max(axis=-1), scores.min(axis=-1)
    return bool(np.all(high - low <= SCORE_SPAN))


def _draw_attention(rng, v) -> Draw:
    n, tq, tk = v["N"], v["Tq"], v["Tk"]
    for _ in range(MAX_REDRAWS):
        q, k = normal(rng, n, tq, v["D"]), normal(rng, n, tk, v["D"])
        if _span_ok(q, k, v["causal"]):
            return Draw(inputs={"q": q, "k": k, "v": normal(rng, n, tk, v["Dv"])}, params={},
                        config={"causal": v["causal"]})
    raise ValueError(f"no attention draw for {v} keeps its scores within {SCORE_SPAN}")


def _heads(x: np.ndarray, W: np.ndarray, b: np.ndarray, h: int) -> np.ndarray:
    n, t, e = x.shape
    return (x @ W + b).reshape(n, t, h, e // h).transpose(0, 2, 1, 3)


def _draw_mha(rng, v) -> Draw:
    n, s, t, e, h = v["N"], v["S"], v["T"], v["E"], v["H"]
    for _ in range(MAX_REDRAWS):
        inputs = {"query": normal(rng, n, s, e), "key": normal(rng, n, t, e),
                  "value": normal(rng, n, t, e)}
        params = {}
        for p in PROJECTIONS:
            params[f"W{p}"] = normal(rng, e, e, scale=e**-0.5)
            params[f"b{p}"] = normal(rng, e, scale=0.2)
        q = _heads(inputs["query"], params["Wq"], params["bq"], h)
        k = _heads(inputs["key"], params["Wk"], params["bk"], h)
        if _span_ok(q, k, v["causal"]):
            return Draw(inputs=inputs, params=params,
                        config={"num_heads": h, "causal": v["causal"]})
    raise ValueError(f"no multi-head draw for {v} keeps its scores within {SCORE_SPAN}")


ATTENTION = Spec(
    name="Attention", kind="layer", inputs=("q", "k", "v"), params=(), wrt=("q", "k", "v"),
    variants=[{"N": 1, "Tq": 2, "Tk": 3, "D": 2, "Dv": 3, "causal": False},
              {"N": 2, "Tq": 4, "Tk": 4, "D": 3, "Dv": 2, "causal": True},
              {"N": 2, "Tq": 3, "Tk": 5, "D": 4, "Dv": 4, "causal": False},
              {"N": 1, "Tq": 5, "Tk": 5, "D": 2, "Dv": 3, "causal": True}],
    draw=_draw_attention, reference="reference.attention.Attention",
    doc="softmax(q kᵀ / sqrt(D)) v: q (N, Tq, D), k (N, Tk, D), v (N, Tk, Dv) -> "
        "(N, Tq, Dv); causal (Tq == Tk) masks keys j > i before the softmax.",
)

MULTI_HEAD_ATTENTION = Spec(
    name="MultiHeadAttention", kind="layer", inputs=("query", "key", "value"),
    params=tuple(f"{w}{p}" for p in PROJECTIONS for w in "Wb"),
    # The key bias shifts a whole row of scores by q·bk, which the softmax ignores: its
    # gradient is exactly 0, so only rounding noise could be compared. It is not checked.
    wrt=("query", "key", "value", *(f"{w}{p}" for p in PROJECTIONS for w in "Wb"
                                    if f"{w}{p}" != "bk")),
    variants=[{"N": 1, "S": 3, "T": 3, "E": 4, "H": 2, "causal": False},
              {"N": 2, "S": 4, "T": 4, "E": 6, "H": 3, "causal": True},
              {"N": 2, "S": 2, "T": 5, "E": 4, "H": 1, "causal": False},
              {"N": 1, "S": 5, "T": 5, "E": 6, "H": 2, "causal": True}],
    draw=_draw_mha, reference="reference.attention.MultiHeadAttention",
    doc="CS231n MultiHeadAttention, no dropout: query (N, S, E), key/value (N, T, E); "
        "x @ W + b projections W (E, E) (in, out), num_heads heads scaled by "
        "1/sqrt(E/num_heads), causal (S == T) optional, output projection Wo, bo; "
        "dbk is identically 0 and not checked.",
)

SPECS = (ATTENTION, MULTI_HEAD_ATTENTION)
