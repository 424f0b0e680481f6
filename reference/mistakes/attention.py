"""Mistakes in scaled dot-product attention and multi-head attention."""

from __future__ import annotations

import numpy as np

from reference.attention import Attention, MultiHeadAttention, causal_mask
from reference.mistakes.model import Mistake, Probe


class _Wrong(Attention):
    """Attention with one bug switched on: no 1/sqrt(D) (``scaled=False``), ``scale``
    fixed by the caller, the mask applied to the weights after the softmax
    (``mask_after``), or a softmax backward without the cross term (``cross=False``)."""

    def __init__(self, causal: bool, scaled: bool = True, scale: float | None = None,
                 mask_after: bool = False, cross: bool = True):
        super().__init__(causal)
        self.scaled, self.fixed, self.mask_after, self.cross = scaled, scale, mask_after, cross

    def forward(self, q, k, v):
        self.q, self.k, self.v = q, k, v
        self.scale = self.fixed or (1.0 / float(np.sqrt(q.shape[-1])) if self.scaled else 1.0)
        scores = q @ np.swapaxes(k, -1, -2) * self.scale
        keep = causal_mask(q.shape[-2], k.shape[-2])
        if self.causal and not self.mask_after:
            scores = np.where(keep, scores, -np.inf)
        e = np.exp(scores - scores.max(axis=-1, keepdims=True))
        self.weights = e / e.sum(axis=-1, keepdims=True)
        if self.causal and self.mask_after:
            self.weights = self.weights * keep
        return self.weights @ v

    def backward(self, dout):
        if self.cross:
            return super().backward(dout)
        p = self.weights
        ds = p * (1 - p) * (dout @ np.swapaxes(self.v, -1, -2)) * self.scale
        return {"q": ds @ self.k, "k": np.swapaxes(ds, -1, -2) @ self.q,
                "v": np.swapaxes(p, -1, -2) @ dout}


def _attention(p: Probe, quantity: str, **bug) -> np.ndarray:
    layer = _Wrong(p.config["causal"], **bug)
    out = layer.forward(*(p.inputs[n] for n in ("q", "k", "v")))
    return out if quantity == "out" else layer.backward(p.upstream)[quantity[1:]]


def _multi_head(p: Probe, quantity: str, **bug) -> np.ndarray:
    layer = MultiHeadAttention(**p.params, **p.config)
    if bug.pop("embed_scale", False):
        bug["scale"] = 1.0 / np.sqrt(p.inputs["query"].shape[-1])
    layer.attention = _Wrong(p.config["causal"], **bug)
    out = layer.forward(*(p.inputs[n] for n in ("query", "key", "value")))
    return out if quantity == "out" else layer.backward(p.upstream)[quantity[1:]]


_NO_CROSS = ("dout * p * (1 - p) through the attention weights: only the diagonal of the "
             "softmax Jacobian")
_CROSS_FIX = ("dscores = p * (dp - sum(dp * p, axis=-1, keepdims=True)) with dp = dout @ vᵀ: "
              "every weight of a row depends on every score of that row")


def _no_cross(layer: str, quantity: str, value) -> Mistake:
    return Mistake(layer, quantity, "attention-softmax-no-cross-term",
                   f"the {layer} backward drops the softmax Jacobian's cross terms",
                   _NO_CROSS, _CROSS_FIX, lambda p: value(p, quantity, cross=False))


MISTAKES = (
    Mistake(
        "Attention", "out", "attention-no-scale",
        "the attention scores are not divided by sqrt(D)",
        "softmax(q kᵀ) v: the scores q kᵀ are used unscaled",
        "scores = q @ kᵀ / sqrt(D), D = q.shape[-1], before the softmax",
        lambda p: _attention(p, "out", scaled=False),
    ),
    Mistake(
        "Attention", "out", "attention-mask-after-softmax",
        "the causal mask is applied after the softmax",
        "softmax over every key, then the future keys' weights set to 0: the rows no "
        "longer sum to 1",
        "set the masked scores to -inf before the softmax (np.where(mask, scores, -np.inf))",
        lambda p: _attention(p, "out", mask_after=True),
    ),
    *(_no_cross("Attention", q, _attention) for q in ("dq", "dk")),
    Mistake(
        "MultiHeadAttention", "out", "attention-scaled-by-embed-dim",
        "the multi-head scores are divided by sqrt(E) instead of sqrt(E / num_heads)",
        "softmax(Q Kᵀ / sqrt(E)): the whole embedding size, not one head's",
        "divide each head's scores by sqrt(head_dim), head_dim = E // num_heads",
        lambda p: _multi_head(p, "out", embed_scale=True),
    ),
    *(_no_cross("MultiHeadAttention", q, _multi_head)
      for q in ("dquery", "dkey", "dWq", "dbq", "dWk")),
)
