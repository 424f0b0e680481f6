"""Upsample2d with one bug: only the width is dilated, not the height.

backcheck-mutant: Upsample2d out unnamed
"""
import numpy as np


class Upsample2d:
    def __init__(self, upsampling_factor):
        self.k = upsampling_factor

    def forward(self, A):
        k = self.k
        N, C, H, W = A.shape
        Z = np.zeros((N, C, H, k * (W - 1) + 1), dtype=A.dtype)
        Z[:, :, :, ::k] = A
        return Z

    def backward(self, dLdZ):
        return {"x": dLdZ[:, :, ::self.k, ::self.k]}
