"""Downsample2d with one bug: the forward averages each k x k block (a mean pool)
instead of keeping its first element.

backcheck-mutant: Downsample2d out unnamed
"""
import numpy as np


class Downsample2d:
    def __init__(self, downsampling_factor):
        self.k = downsampling_factor

    def forward(self, A):
        self.shape = A.shape
        k = self.k
        N, C, H, W = A.shape
        Z = np.zeros((N, C, (H - 1) // k + 1, (W - 1) // k + 1), dtype=A.dtype)
        for i in range(Z.shape[2]):
            for j in range(Z.shape[3]):
                Z[:, :, i, j] = A[:, :, i * k:(i + 1) * k, j * k:(j + 1) * k].mean(axis=(2, 3))
        return Z

    def backward(self, dLdZ):
        dLdA = np.zeros(self.shape, dtype=dLdZ.dtype)
        dLdA[:, :, ::self.k, ::self.k] = dLdZ
        return {"x": dLdA}
