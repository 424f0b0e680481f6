"""Sigmoid with one bug: forgets (1 - s).

backcheck-mutant: Sigmoid dx sigmoid-derivative-incomplete
"""
import numpy as np


class Sigmoid:
    def forward(self, x):
        self.s = 1 / (1 + np.exp(-x))
        return self.s

    def backward(self, dout):
        s = self.s
        dx = dout * s
        return {"x": dx}
