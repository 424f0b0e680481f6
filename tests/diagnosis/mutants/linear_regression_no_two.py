"""Linear regression with one bug: the squared error's gradient drops its factor 2.

backcheck-mutant: LinearRegression dW scaled also scaled
"""
import numpy as np


class LinearRegression:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x, target):
        self.x = x
        self.err = x @ self.W + self.b - target
        return np.mean(self.err ** 2)

    def backward(self, dout=1.0):
        g = dout * self.err / self.err.size
        return {"W": self.x.T @ g, "b": g.sum(axis=0)}
