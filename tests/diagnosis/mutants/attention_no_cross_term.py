"""Attention with one bug: the softmax backward keeps only the Jacobian's diagonal.

backcheck-mutant: Attention dq attention-softmax-no-cross-term
"""
import numpy as np


class Attention:
    def __init__(self, causal=False):
        self.causal = causal

    def forward(self, q, k, v):
        self.q, self.k, self.v = q, k, v
        d = q.shape[2]
        scores = q @ np.swapaxes(k, 1, 2) / np.sqrt(d)
        if self.causal:
            scores = scores + np.triu(np.full(scores.shape[1:], -np.inf), 1)
        scores = np.exp(scores - scores.max(axis=2, keepdims=True))
        self.p = scores / scores.sum(axis=2, keepdims=True)
        return self.p @ v

    def backward(self, dout):
        p, d = self.p, self.q.shape[2]
        dp = dout @ np.swapaxes(self.v, 1, 2)
        dscores = dp * p * (1 - p) / np.sqrt(d)
        return {"q": dscores @ self.k, "k": np.swapaxes(dscores, 1, 2) @ self.q,
                "v": np.swapaxes(p, 1, 2) @ dout}
