"""GELU with one bug, MyTorch style: the forward and backward are those of the sigmoid
approximation Z * sigmoid(1.702 Z), where the exact Z * Phi(Z) is expected.

backcheck-mutant: GELU out gelu-sigmoid-approximation
"""
import numpy as np


class GELU:
    def forward(self, Z):
        self.Z = Z
        self.s = 1 / (1 + np.exp(-1.702 * Z))
        self.A = Z * self.s
        return self.A

    def backward(self, dLdA):
        dAdZ = self.s + 1.702 * self.Z * self.s * (1 - self.s)
        return dLdA * dAdZ
