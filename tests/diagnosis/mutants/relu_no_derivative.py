"""ReLU with one bug: passes dout through.

backcheck-mutant: ReLU dx derivative-missing
"""
import numpy as np


class ReLU:
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        dx = dout
        return {"x": dx}
