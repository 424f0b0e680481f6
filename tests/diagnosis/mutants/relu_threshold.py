"""ReLU with one bug: mask x > 0.6.

backcheck-mutant: ReLU dx relu-near-zero
"""
import numpy as np


class ReLU:
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        dx = dout * (self.x > 0.6)
        return {"x": dx}
