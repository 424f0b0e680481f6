"""Linear with one bug: forward forgets b.

backcheck-mutant: Linear out linear-no-bias
"""
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def forward(self, x):
        self.x = x
        return x @ self.W

    def backward(self, dout):
        dx = dout @ self.W.T
        dW = self.x.T @ dout
        db = dout.sum(axis=0)
        return {"x": dx, "W": dW, "b": db}
