"""Linear with one bug: leftover weight decay in dW.

backcheck-mutant: Linear dW unnamed
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
        dW = self.x.T @ dout + 0.1 * self.W
        db = dout.sum(axis=0)
        return {"x": dx, "W": dW, "b": db}
