"""Upsample1d with one bug: the output keeps k - 1 zeros after the last element too.

backcheck-mutant: Upsample1d out unnamed
"""
import numpy as np


class Upsample1d:
    def __init__(self, upsampling_factor):
        self.upsampling_factor = upsampling_factor

    def forward(self, A):
        k = self.upsampling_factor
        Z = np.zeros((A.shape[0], A.shape[1], k * A.shape[2]), dtype=A.dtype)
        Z[:, :, ::k] = A
        return Z

    def backward(self, dLdZ):
        return {"x": dLdZ[:, :, ::self.upsampling_factor]}
