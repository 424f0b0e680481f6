"""XOR net with one bug: the sigmoid's derivative is applied on top of BCE's (p - y),
which already includes it.

backcheck-mutant: XORNet dW2 unnamed
"""
import numpy as np


class XORNet:
    def __init__(self, W1, b1, W2, b2):
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2

    def forward(self, x, target):
        self.x, self.y = x, target
        self.z1 = x @ self.W1 + self.b1
        self.h = np.maximum(self.z1, 0)
        self.p = 1 / (1 + np.exp(-(self.h @ self.W2 + self.b2)))
        p = np.clip(self.p, 1e-12, 1 - 1e-12)
        return -np.mean(target * np.log(p) + (1 - target) * np.log(1 - p))

    def backward(self, dout=1.0):
        dz2 = dout * (self.p - self.y) * self.p * (1 - self.p) / self.y.size
        dh = dz2 @ self.W2.T
        dz1 = dh * (self.z1 > 0)
        return {"W1": self.x.T @ dz1, "b1": dz1.sum(axis=0),
                "W2": self.h.T @ dz2, "b2": dz2.sum(axis=0)}
