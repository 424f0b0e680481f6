"""ELU with one bug: for negative inputs the slope is alpha, not alpha * exp(x).

backcheck-mutant: ELU dx elu-negative-slope-constant
"""
import numpy as np


class ELU:
    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def forward(self, x):
        self.x = x
        return np.where(x > 0, x, self.alpha * (np.exp(x) - 1))

    def backward(self, dout):
        grad = np.ones_like(self.x)
        grad[self.x <= 0] = self.alpha
        return {"x": dout * grad}
