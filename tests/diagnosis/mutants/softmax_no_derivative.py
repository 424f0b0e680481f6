"""Softmax with one bug: dout passed through.

backcheck-mutant: Softmax dx derivative-missing
"""
import numpy as np


class Softmax:
    def forward(self, x):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        self.s = e / e.sum(axis=-1, keepdims=True)
        return self.s

    def backward(self, dout):
        s = self.s
        dx = dout
        return {"x": dx}
