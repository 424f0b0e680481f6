"""Softmax with one bug: diagonal Jacobian only.

backcheck-mutant: Softmax dx softmax-no-cross-term
"""
import numpy as np


class Softmax:
    def forward(self, x):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        self.s = e / e.sum(axis=-1, keepdims=True)
        return self.s

    def backward(self, dout):
        s = self.s
        dx = dout * s * (1 - s)
        return {"x": dx}
