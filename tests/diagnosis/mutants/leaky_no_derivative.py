"""LeakyReLU with one bug: dout passed through.

backcheck-mutant: LeakyReLU dx derivative-missing
"""
import numpy as np


class LeakyReLU:
    def __init__(self, negative_slope=0.01):
        self.a = negative_slope

    def forward(self, x):
        self.x = x
        return np.where(x > 0, x, self.a * x)

    def backward(self, dout):
        dx = dout.copy()
        return {"x": dx}
