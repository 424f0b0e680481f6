"""Linear with one bug: forward caches only the first x.

backcheck-mutant: Linear dW stale-cache
"""
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def forward(self, x):
        if not hasattr(self, 'x'):
            self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        dW = self.x.T @ dout
        db = dout.sum(axis=0)
        return {"x": dx, "W": dW, "b": db}
