"""Tanh with one bug: 1 - t.

backcheck-mutant: Tanh dx tanh-derivative-linear
"""
import numpy as np


class Tanh:
    def forward(self, x):
        self.x = x
        self.t = np.tanh(x)
        return self.t

    def backward(self, dout):
        t = self.t
        dx = dout * (1 - t)
        return {"x": dx}
