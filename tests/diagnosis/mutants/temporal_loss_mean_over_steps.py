"""TemporalSoftmaxLoss with one bug: the loss is divided by the number of kept steps.

backcheck-mutant: TemporalSoftmaxLoss out temporal-loss-mean-over-steps
"""
import numpy as np


class TemporalSoftmaxLoss:
    def forward(self, x, target, mask):
        e = np.exp(x - x.max(axis=2, keepdims=True))
        self.p = e / e.sum(axis=2, keepdims=True)
        self.target, self.mask = target, mask
        logp = np.log(np.take_along_axis(self.p, target[..., None], axis=2))[..., 0]
        return -np.sum(logp * mask) / mask.sum()

    def backward(self, dout=1.0):
        n, t = self.target.shape
        grad = self.p.copy()
        grad[np.arange(n)[:, None], np.arange(t), self.target] -= 1
        return {"x": dout * grad * self.mask[..., None] / n}
