"""Identity with one bug, MyTorch style: forward stores and returns dA/dZ (ones), the
derivative, instead of A = Z.

backcheck-mutant: Identity out unnamed
"""
import numpy as np


class Identity:
    def forward(self, Z):
        self.Z = Z
        self.A = np.ones(Z.shape, dtype=Z.dtype)
        return self.A

    def backward(self, dLdA):
        dAdZ = np.ones(self.Z.shape, dtype=self.Z.dtype)
        return dLdA * dAdZ
