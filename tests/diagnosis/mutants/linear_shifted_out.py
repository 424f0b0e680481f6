"""Linear with one bug: forward adds 1.

backcheck-mutant: Linear out shifted
"""
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b + 1.0

    def backward(self, dout):
        dx = dout @ self.W.T
        dW = self.x.T @ dout
        db = dout.sum(axis=0)
        return {"x": dx, "W": dW, "b": db}
