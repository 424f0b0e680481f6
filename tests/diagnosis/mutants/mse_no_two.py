"""MSELoss with one bug: forgets the 2.

backcheck-mutant: MSELoss dx scaled
"""
import numpy as np


class MSELoss:
    def forward(self, x, target):
        self.diff = x - target
        return np.mean(self.diff ** 2)

    def backward(self, dout=1.0):
        dx = dout * self.diff / self.diff.size
        return {"x": dx}
