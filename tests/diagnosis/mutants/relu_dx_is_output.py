"""ReLU with one bug: backward multiplies by the output.

backcheck-mutant: ReLU dx relu-derivative-is-output
"""
import numpy as np


class ReLU:
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        dx = dout * np.maximum(self.x, 0)
        return {"x": dx}
