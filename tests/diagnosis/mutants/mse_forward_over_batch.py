"""MSELoss with one bug: loss divided by N.

backcheck-mutant: MSELoss out mse-mean-over-batch
"""
import numpy as np


class MSELoss:
    def forward(self, x, target):
        self.diff = x - target
        return np.sum(self.diff ** 2) / len(self.diff)

    def backward(self, dout=1.0):
        dx = dout * 2 * self.diff / self.diff.size
        return {"x": dx}
