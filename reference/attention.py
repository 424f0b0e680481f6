"""Attention: scaled dot-product attention and multi-head attention with projections."""

from __future__ import annotations

import numpy as np


def causal_mask(tq: int, tk: int) -> np.ndarray:
    """``True`` where query ``i`` may attend key ``j`` (``j <= i``), as ``torch.tril``."""
    return np.tril(np.ones((tq, tk), dtype=bool))


class Attention:
    """``softmax(q kᵀ / sqrt(D)) v``: q (N, Tq, D), k (N, Tk, D), v (N, Tk, Dv) -> (N, Tq, Dv).

    With ``causal`` (Tq == Tk) query ``i`` sees keys ``0..i`` only: the masked scores are
    set to -inf *before* the softmax, so each row's weights still sum to 1. backward
    differentiates q, k and v; the softmax backward keeps the Jacobian's cross term.
    """

    def __init__(self, causal: bool = False):
        self.causal = causal

    def forward(self, q: np.ndarray, k: np.ndarray, v: np.ndarray) -> np.ndarray:
        self.q, self.k, self.v = q, k, v
        self.scale = 1.0 / float(np.sqrt(q.shape[-1]))  # a Python float keeps float32
        scores = q @ np.swapaxes(k, -1, -2) * self.scale
        if self.causal:
            scores = np.where(causal_mask(q.shape[-2], k.shape[-2]), scores, -np.inf)
        e = np.exp(scores - scores.max(axis=-1, keepdims=True))
        self.weights = e / e.sum(axis=-1, keepdims=True)
        return self.weights @ v

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        p = self.weights
        dv = np.swapaxes(p, -1, -2) @ dout
        dp = dout @ np.swapaxes(self.v, -1, -2)
        ds = p * (dp - np.sum(dp * p, axis=-1, keepdims=True)) * self.scale
        return {"q": ds @ self.k, "k": np.swapaxes(ds, -1, -2) @ self.q, "v": dv}


class MultiHeadAttention:
    """CS231n's ``MultiHeadAttention`` without dropout, on NumPy arrays.

    query (N, S, E), key and value (N, T, E); each is projected (``x @ W + b``, ``W``
    (E, E) as (in, out)), split into ``num_heads`` heads of E / num_heads features,
    attended with scale ``1 / sqrt(E / num_heads)`` (causal when ``causal``, S == T),
    the heads concatenated and projected by ``Wo``, ``bo``. backward differentiates the
    three inputs and the parameters but ``bk``, whose gradient is identically 0.
    """

    def __init__(self, Wq, bq, Wk, bk, Wv, bv, Wo, bo, num_heads: int, causal: bool = False):
        self.Wq, self.bq, self.Wk, self.bk = Wq, bq, Wk, bk
        self.Wv, self.bv, self.Wo, self.bo = Wv, bv, Wo, bo
        self.num_heads = num_heads
        self.attention = Attention(causal)

    def forward(self, query: np.ndarray, key: np.ndarray, value: np.ndarray) -> np.ndarray:
        self.inputs = (query, key, value)
        heads = [self._split(x @ W + b) for x, W, b in zip(
            self.inputs, (self.Wq, self.Wk, self.Wv), (self.bq, self.bk, self.bv), strict=True)]
        self.mixed = self._merge(self.attention.forward(*heads))
        return self.mixed @ self.Wo + self.bo

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        grads = {"Wo": _weight_grad(self.mixed, dout), "bo": _bias_grad(dout)}
        per_head = self.attention.backward(self._split(dout @ self.Wo.T))
        for name, x, W, d in zip(("query", "key", "value"), self.inputs,
                                 (self.Wq, self.Wk, self.Wv), "qkv", strict=True):
            dproj = self._merge(per_head[d])
            grads[name] = dproj @ W.T
            grads[f"W{d}"], grads[f"b{d}"] = _weight_grad(x, dproj), _bias_grad(dproj)
        del grads["bk"]  # identically 0: q·bk shifts a whole row of scores
        return grads

    def _split(self, x: np.ndarray) -> np.ndarray:
        """(N, T, E) -> (N, H, T, E / H)."""
        n, t, e = x.shape
        return x.reshape(n, t, self.num_heads, e // self.num_heads).transpose(0, 2, 1, 3)

    def _merge(self, x: np.ndarray) -> np.ndarray:
        """(N, H, T, E / H) -> (N, T, E)."""
        n, h, t, d = x.shape
        return x.transpose(0, 2, 1, 3).reshape(n, t, h * d)


def _weight_grad(x: np.ndarray, d: np.ndarray) -> np.ndarray:
    return x.reshape(-1, x.shape[-1]).T @ d.reshape(-1, d.shape[-1])


def _bias_grad(d: np.ndarray) -> np.ndarray:
    return d.reshape(-1, d.shape[-1]).sum(axis=0)
