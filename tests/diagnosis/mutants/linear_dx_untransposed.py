"""Linear with one bug: dx uses W, not W.T.

backcheck-mutant: Linear dx linear-dx-untransposed-W
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
        dx = dout @ self.W
        dW = self.x.T @ dout
        db = dout.sum(axis=0)
        return {"x": dx, "W": dW, "b": db}
