"""Upsample1d with one bug: the backward sums each block of k, as if forward repeated
every element (nearest-neighbour upsampling) instead of inserting zeros.

backcheck-mutant: Upsample1d dx unnamed
"""
import numpy as np


class Upsample1d:
    def __init__(self, upsampling_factor):
        self.upsampling_factor = upsampling_factor

    def forward(self, A):
        k = self.upsampling_factor
        Z = np.zeros((A.shape[0], A.shape[1], k * (A.shape[2] - 1) + 1), dtype=A.dtype)
        Z[:, :, ::k] = A
        return Z

    def backward(self, dLdZ):
        k = self.upsampling_factor
        width = (dLdZ.shape[2] - 1) // k + 1
        dLdA = np.zeros((*dLdZ.shape[:2], width), dtype=dLdZ.dtype)
        for i in range(width):
            dLdA[:, :, i] = dLdZ[:, :, i * k:(i + 1) * k].sum(axis=2)
        return {"x": dLdA}
