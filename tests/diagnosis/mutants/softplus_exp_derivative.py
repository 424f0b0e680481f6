"""Softplus with one bug: differentiates as if the layer were exp(x).

backcheck-mutant: Softplus dx softplus-derivative-exp
"""
import numpy as np


class Softplus:
    def forward(self, x):
        self.x = x
        return np.log1p(np.exp(x))

    def backward(self, dout):
        return {"x": dout * np.exp(self.x)}
