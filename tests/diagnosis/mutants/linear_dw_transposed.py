"""Linear with one bug: dW computed as dout.T @ x.

backcheck-mutant: Linear dW transposed
"""
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        dW = dout.T @ self.x
        db = dout.sum(axis=0)
        return {"x": dx, "W": dW, "b": db}
