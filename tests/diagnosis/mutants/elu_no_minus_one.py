"""ELU with one bug, MyTorch style: the negative branch is alpha * exp(Z), without the - 1.

backcheck-mutant: ELU out elu-missing-minus-one
"""
import numpy as np


class ELU:
    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def forward(self, Z):
        self.Z = Z
        self.A = np.where(Z > 0, Z, self.alpha * np.exp(Z))
        return self.A

    def backward(self, dLdA):
        dAdZ = np.where(self.Z > 0, 1.0, self.alpha * np.exp(self.Z))
        return dLdA * dAdZ
