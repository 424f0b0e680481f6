"""Sigmoid with one bug: derivative at the input.

backcheck-mutant: Sigmoid dx derivative-at-output
"""
import numpy as np


class Sigmoid:
    def forward(self, x):
        self.x_in = x
        self.s = 1 / (1 + np.exp(-x))
        return self.s

    def backward(self, dout):
        s = self.x_in
        dx = dout * s * (1 - s)
        return {"x": dx}
