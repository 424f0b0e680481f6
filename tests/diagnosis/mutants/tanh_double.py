"""Tanh with one bug: factor 2.

backcheck-mutant: Tanh dx scaled
"""
import numpy as np


class Tanh:
    def forward(self, x):
        self.x = x
        self.t = np.tanh(x)
        return self.t

    def backward(self, dout):
        t = self.t
        dx = 2 * dout * (1 - t ** 2)
        return {"x": dx}
