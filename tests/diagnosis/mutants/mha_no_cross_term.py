"""MultiHeadAttention with one bug: the softmax backward keeps only the diagonal.

backcheck-mutant: MultiHeadAttention dquery attention-softmax-no-cross-term
"""
import numpy as np


class MultiHeadAttention:
    def __init__(self, Wq, bq, Wk, bk, Wv, bv, Wo, bo, num_heads, causal=False):
        self.Wq, self.bq, self.Wk, self.bk = Wq, bq, Wk, bk
        self.Wv, self.bv, self.Wo, self.bo = Wv, bv, Wo, bo
        self.h, self.causal = num_heads, causal

    def split(self, x):
        n, t, e = x.shape
        return x.reshape(n, t, self.h, e // self.h).transpose(0, 2, 1, 3)

    def merge(self, x):
        n, h, t, d = x.shape
        return x.transpose(0, 2, 1, 3).reshape(n, t, h * d)

    def forward(self, query, key, value):
        self.x = (query, key, value)
        self.Q = self.split(query @ self.Wq + self.bq)
        self.K = self.split(key @ self.Wk + self.bk)
        self.V = self.split(value @ self.Wv + self.bv)
        self.scale = 1.0 / np.sqrt(query.shape[-1] // self.h)
        s = self.Q @ self.K.swapaxes(-1, -2) * self.scale
        if self.causal:
            s = np.where(np.tril(np.ones(s.shape[-2:])) > 0, s, -np.inf)
        e = np.exp(s - s.max(-1, keepdims=True))
        self.A = e / e.sum(-1, keepdims=True)
        self.Y = self.merge(self.A @ self.V)
        return self.Y @ self.Wo + self.bo

    def backward(self, dout):
        g = {"Wo": np.einsum("nte,ntf->ef", self.Y, dout), "bo": dout.sum((0, 1))}
        dY = self.split(dout @ self.Wo.T)
        dA = dY @ self.V.swapaxes(-1, -2)
        dS = self.A * (1 - self.A) * dA * self.scale
        parts = {"q": dS @ self.K, "k": dS.swapaxes(-1, -2) @ self.Q,
                 "v": self.A.swapaxes(-1, -2) @ dY}
        for name, x, W, d in zip(("query", "key", "value"), self.x,
                                 (self.Wq, self.Wk, self.Wv), "qkv"):
            dp = self.merge(parts[d])
            g[name] = dp @ W.T
            g["W" + d] = np.einsum("nte,ntf->ef", x, dp)
            g["b" + d] = dp.sum((0, 1))
        return g
