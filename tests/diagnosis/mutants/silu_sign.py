"""SiLU with one bug, MyTorch style: the sigmoid is written 1 / (1 + exp(Z)).

backcheck-mutant: SiLU out silu-sign
"""
import numpy as np


class SiLU:
    def forward(self, Z):
        self.Z = Z
        self.sig = 1 / (1 + np.exp(Z))
        self.A = Z * self.sig
        return self.A

    def backward(self, dLdA):
        dAdZ = self.sig + self.Z * self.sig * (1 - self.sig)
        return dLdA * dAdZ
