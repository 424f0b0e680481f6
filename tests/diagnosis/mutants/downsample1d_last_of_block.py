"""Downsample1d with one bug: keeps the last element of every block of k, not the first.

backcheck-mutant: Downsample1d out unnamed
"""
import numpy as np


class Downsample1d:
    def __init__(self, downsampling_factor):
        self.downsampling_factor = downsampling_factor

    def forward(self, A):
        self.width = A.shape[2]
        k = self.downsampling_factor
        return A[:, :, k - 1::k]

    def backward(self, dLdZ):
        k = self.downsampling_factor
        dLdA = np.zeros((*dLdZ.shape[:2], self.width), dtype=dLdZ.dtype)
        dLdA[:, :, ::k] = dLdZ
        return {"x": dLdA}
