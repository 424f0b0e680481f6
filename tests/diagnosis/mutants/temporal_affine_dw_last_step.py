"""TemporalAffine with one bug: dW is taken from the last time step only.

backcheck-mutant: TemporalAffine dW temporal-dw-last-step
"""
import numpy as np


class TemporalAffine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.einsum("ntd,dm->ntm", x, self.W) + self.b

    def backward(self, dout):
        return {"x": dout @ self.W.T, "W": self.x[:, -1].T @ dout[:, -1],
                "b": dout.sum(axis=(0, 1))}
