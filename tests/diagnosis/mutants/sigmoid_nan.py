"""Sigmoid with one bug: divides by zero.

backcheck-mutant: Sigmoid dx non-finite
"""
import numpy as np


class Sigmoid:
    def forward(self, x):
        self.s = 1 / (1 + np.exp(-x))
        return self.s

    def backward(self, dout):
        s = self.s
        dx = dout * s * (1 - s) / (s - s)
        return {"x": dx}
