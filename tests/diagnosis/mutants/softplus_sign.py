"""Softplus with one bug, MyTorch style: log(1 + exp(-Z)) in the forward.

backcheck-mutant: Softplus out softplus-sign
"""
import numpy as np


class Softplus:
    def forward(self, Z):
        self.Z = Z
        self.A = np.log(1 + np.exp(-Z))
        return self.A

    def backward(self, dLdA):
        return dLdA / (1 + np.exp(-self.Z))
