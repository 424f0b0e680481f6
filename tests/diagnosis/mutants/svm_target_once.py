"""SVM loss with one bug: the target column gets -1 however many margins were positive.

backcheck-mutant: SVMLoss dx svm-target-not-counted
"""
import numpy as np


class SVMLoss:
    def forward(self, x, target):
        n = x.shape[0]
        correct = x[np.arange(n), target][:, None]
        margins = np.maximum(0, x - correct + 1)
        margins[np.arange(n), target] = 0
        self.mask = (margins > 0).astype(x.dtype)
        self.target = target
        return margins.sum() / n

    def backward(self, dout=1.0):
        n = self.mask.shape[0]
        dx = self.mask.copy()
        hit = self.mask.sum(axis=1) > 0
        dx[np.arange(n)[hit], self.target[hit]] = -1
        return {"x": dout * dx / n}
