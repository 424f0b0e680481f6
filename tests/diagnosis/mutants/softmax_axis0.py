"""Softmax with one bug: normalizes over the batch.

backcheck-mutant: Softmax out softmax-wrong-axis
"""
import numpy as np


class Softmax:
    def forward(self, x):
        e = np.exp(x - x.max(axis=0, keepdims=True))
        self.s = e / e.sum(axis=0, keepdims=True)
        return self.s

    def backward(self, dout):
        s = self.s
        dx = s * (dout - (dout * s).sum(axis=-1, keepdims=True))
        return {"x": dx}
