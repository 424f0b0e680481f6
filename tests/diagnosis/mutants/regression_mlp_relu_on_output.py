"""Regression MLP with one bug: the ReLU mask is taken from the pre-activation's negation
(gradient flows where the hidden unit was off).

backcheck-mutant: RegressionMLP dW1 unnamed
"""
import numpy as np


class RegressionMLP:
    def __init__(self, W1, b1, W2, b2):
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2

    def forward(self, x, target):
        self.x = x
        self.z = x @ self.W1 + self.b1
        self.h = np.maximum(self.z, 0)
        self.err = self.h @ self.W2 + self.b2 - target
        return np.mean(self.err ** 2)

    def backward(self, dout=1.0):
        dy = dout * 2 * self.err / self.err.size
        dh = dy @ self.W2.T
        dz = dh * (self.z < 0)
        return {"W1": self.x.T @ dz, "b1": dz.sum(axis=0),
                "W2": self.h.T @ dy, "b2": dy.sum(axis=0)}
