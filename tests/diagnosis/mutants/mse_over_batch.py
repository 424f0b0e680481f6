"""MSELoss with one bug: divides by N not N*D.

backcheck-mutant: MSELoss dx mse-mean-over-batch
"""
import numpy as np


class MSELoss:
    def forward(self, x, target):
        self.diff = x - target
        return np.mean(self.diff ** 2)

    def backward(self, dout=1.0):
        dx = dout * 2 * self.diff / len(self.diff)
        return {"x": dx}
