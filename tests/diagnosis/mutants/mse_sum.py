"""MSELoss with one bug: gradient of the sum.

backcheck-mutant: MSELoss dx scaled
"""
import numpy as np


class MSELoss:
    def forward(self, x, target):
        self.diff = x - target
        return np.mean(self.diff ** 2)

    def backward(self, dout=1.0):
        dx = dout * 2 * self.diff
        return {"x": dx}
