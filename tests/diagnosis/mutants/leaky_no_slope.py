"""LeakyReLU with one bug: backward is ReLU's.

backcheck-mutant: LeakyReLU dx leaky-slope-missing
"""
import numpy as np


class LeakyReLU:
    def __init__(self, negative_slope=0.01):
        self.a = negative_slope

    def forward(self, x):
        self.x = x
        return np.where(x > 0, x, self.a * x)

    def backward(self, dout):
        dx = dout * (self.x > 0)
        return {"x": dx}
