"""ReLU with one bug: zeroes dout in place.

backcheck-mutant: ReLU dx mutated-input
"""
import numpy as np


class ReLU:
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        dout[self.x <= 0] = 0
        dx = dout
        return {"x": dx}
