"""CrossEntropy with one bug: uses the logits.

backcheck-mutant: CrossEntropy dx ce-gradient-of-logits
"""
import numpy as np


class CrossEntropy:
    def forward(self, x, target):
        n = x.shape[0]
        self.x_logits = x
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.p = e / e.sum(axis=1, keepdims=True)
        self.target = target
        return -np.mean(np.log(self.p[np.arange(n), target]))

    def backward(self, dout=1.0):
        n = self.p.shape[0]
        dx = self.x_logits.copy()
        dx[np.arange(n), self.target] -= 1
        dx = dx / n
        return {"x": dout * dx}
