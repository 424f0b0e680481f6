"""Upsample2d with one bug: the backward multiplies by k*k (mistaking the zeros for
copies that share the gradient).

backcheck-mutant: Upsample2d dx unnamed
"""
import numpy as np


class Upsample2d:
    def __init__(self, upsampling_factor):
        self.k = upsampling_factor

    def forward(self, A):
        k = self.k
        N, C, H, W = A.shape
        Z = np.zeros((N, C, k * (H - 1) + 1, k * (W - 1) + 1), dtype=A.dtype)
        Z[:, :, ::k, ::k] = A
        return Z

    def backward(self, dLdZ):
        return {"x": dLdZ[:, :, ::self.k, ::self.k] * self.k * self.k}
