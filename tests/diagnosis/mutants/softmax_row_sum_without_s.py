"""Softmax with one bug: the row sum forgets s.

backcheck-mutant: Softmax dx unnamed
"""
import numpy as np


class Softmax:
    def forward(self, x):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        self.s = e / e.sum(axis=-1, keepdims=True)
        return self.s

    def backward(self, dout):
        s = self.s
        dx = s * (dout - dout.sum(axis=-1, keepdims=True))
        return {"x": dx}
