"""Attention with one bug: the causal mask zeroes the weights after the softmax.

backcheck-mutant: Attention out attention-mask-after-softmax
"""
import numpy as np


class Attention:
    def __init__(self, causal=False):
        self.causal = causal

    def forward(self, q, k, v):
        self.q, self.k, self.v = q, k, v
        self.scale = 1.0 / np.sqrt(q.shape[-1])
        s = np.einsum("ntd,nsd->nts", q, k) * self.scale
        e = np.exp(s - s.max(axis=-1, keepdims=True))
        w = e / e.sum(axis=-1, keepdims=True)
        if self.causal:
            w = w * np.tril(np.ones(w.shape[1:]))
        self.w = w
        return np.einsum("nts,nsd->ntd", w, v)

    def backward(self, dout):
        w = self.w
        dw = np.einsum("ntd,nsd->nts", dout, self.v)
        ds = w * (dw - (dw * w).sum(-1, keepdims=True)) * self.scale
        return {"q": np.einsum("nts,nsd->ntd", ds, self.k),
                "k": np.einsum("nts,ntd->nsd", ds, self.q),
                "v": np.einsum("nts,ntd->nsd", w, dout)}
