"""Linear with one bug: dW never filled.

backcheck-mutant: Linear dW all-zeros
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
        dW = np.zeros_like(self.W)
        db = dout.sum(axis=0)
        return {"x": dx, "W": dW, "b": db}
