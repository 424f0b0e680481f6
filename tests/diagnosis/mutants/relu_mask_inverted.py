"""ReLU with one bug: mask inverted.

backcheck-mutant: ReLU dx relu-mask-inverted
"""
import numpy as np


class ReLU:
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        dx = dout * (self.x < 0)
        return {"x": dx}
