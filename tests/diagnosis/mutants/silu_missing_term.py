"""SiLU with one bug: the product rule stops after its first term.

backcheck-mutant: SiLU dx silu-product-rule-half
"""
import numpy as np


class SiLU:
    def forward(self, x):
        self.sig = 1 / (1 + np.exp(-x))
        return x * self.sig

    def backward(self, dout):
        dx = dout * self.sig
        return {"x": dx}
