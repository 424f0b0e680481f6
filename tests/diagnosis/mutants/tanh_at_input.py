"""Tanh with one bug: 1 - x**2.

backcheck-mutant: Tanh dx derivative-at-output
"""
import numpy as np


class Tanh:
    def forward(self, x):
        self.x = x
        self.t = np.tanh(x)
        return self.t

    def backward(self, dout):
        t = self.x
        dx = dout * (1 - t ** 2)
        return {"x": dx}
