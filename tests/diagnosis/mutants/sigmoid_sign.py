"""Sigmoid with one bug: exp(x) instead of exp(-x).

backcheck-mutant: Sigmoid out sigmoid-sign
"""
import numpy as np


class Sigmoid:
    def forward(self, x):
        self.s = 1 / (1 + np.exp(x))
        return self.s

    def backward(self, dout):
        s = self.s
        dx = dout * s * (1 - s)
        return {"x": dx}
