"""Linear with one bug: db summed over features.

backcheck-mutant: Linear db bias-wrong-axis
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
        dW = self.x.T @ dout
        db = dout.sum(axis=1)
        return {"x": dx, "W": dW, "b": db}
