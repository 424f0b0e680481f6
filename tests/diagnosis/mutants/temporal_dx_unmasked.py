"""TemporalSoftmaxLoss with one bug: dx is not zeroed where the mask is off.

backcheck-mutant: TemporalSoftmaxLoss dx temporal-dx-unmasked
"""
import numpy as np


class TemporalSoftmaxLoss:
    def forward(self, x, target, mask):
        e = np.exp(x - x.max(axis=2, keepdims=True))
        self.p = e / e.sum(axis=2, keepdims=True)
        self.target = target
        logp = np.log(np.take_along_axis(self.p, target[..., None], axis=2))[..., 0]
        return -np.sum(logp * mask) / x.shape[0]

    def backward(self, dout=1.0):
        n, t = self.target.shape
        grad = self.p.copy()
        grad[np.arange(n)[:, None], np.arange(t), self.target] -= 1
        return {"x": dout * grad / n}
