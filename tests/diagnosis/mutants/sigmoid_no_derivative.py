"""Sigmoid with one bug: dout passed through.

backcheck-mutant: Sigmoid dx derivative-missing
"""
import numpy as np


class Sigmoid:
    def forward(self, x):
        self.s = 1 / (1 + np.exp(-x))
        return self.s

    def backward(self, dout):
        s = self.s
        dx = dout
        return {"x": dx}
