"""Attention with one bug: the scores are never divided by sqrt(D).

backcheck-mutant: Attention out attention-no-scale
"""
import numpy as np


class Attention:
    def __init__(self, causal=False):
        self.causal = causal

    def forward(self, q, k, v):
        self.q, self.k, self.v = q, k, v
        scores = q @ k.transpose(0, 2, 1)
        if self.causal:
            future = np.triu(np.ones(scores.shape[1:], dtype=bool), 1)
            scores = np.where(future, -np.inf, scores)
        scores = scores - scores.max(axis=2, keepdims=True)
        self.att = np.exp(scores) / np.exp(scores).sum(axis=2, keepdims=True)
        return self.att @ v

    def backward(self, dout):
        att = self.att
        datt = dout @ self.v.transpose(0, 2, 1)
        dscores = att * (datt - (datt * att).sum(axis=2, keepdims=True))
        return {"q": dscores @ self.k, "k": dscores.transpose(0, 2, 1) @ self.q,
                "v": att.transpose(0, 2, 1) @ dout}
