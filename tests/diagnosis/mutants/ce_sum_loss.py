"""CrossEntropy with one bug: sum, not mean.

backcheck-mutant: CrossEntropy out scaled
"""
import numpy as np


class CrossEntropy:
    def forward(self, x, target):
        n = x.shape[0]
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.p = e / e.sum(axis=1, keepdims=True)
        self.target = target
        return -np.sum(np.log(self.p[np.arange(n), target]))

    def backward(self, dout=1.0):
        n = self.p.shape[0]
        dx = self.p.copy()
        dx[np.arange(n), self.target] -= 1
        dx = dx / n
        return {"x": dout * dx}
