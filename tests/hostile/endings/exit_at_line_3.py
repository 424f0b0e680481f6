"""Calls sys.exit(0) at line 3, before its (correct) layers are defined."""
import sys
sys.exit(0)

import numpy as np  # noqa: E402


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        return {"x": dout @ self.W.T, "W": self.x.T @ dout, "b": np.sum(dout, axis=0)}


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
