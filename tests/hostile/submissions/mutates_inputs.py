"""Correct results, computed while scribbling over every array it is given."""
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W.copy(), b.copy()
        W[...] = 1e6
        b[...] = -1e6

    def forward(self, x):
        self.x = x.copy()
        out = x @ self.W + self.b
        x[...] = np.nan
        return out

    def backward(self, dout):
        grads = {"x": dout @ self.W.T, "W": self.x.T @ dout, "b": dout.sum(axis=0)}
        dout[...] = 0.0
        return grads


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        out = x * self.mask
        x *= -1
        return out

    def backward(self, dout):
        dx = dout * self.mask
        dout[...] = np.inf
        return {"x": dx}
