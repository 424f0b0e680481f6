"""Linear with one bug: dW from sample 0.

backcheck-mutant: Linear dW first-sample-only
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
        dW = self.x[:1].T @ dout[:1]
        db = dout.sum(axis=0)
        return {"x": dx, "W": dW, "b": db}
