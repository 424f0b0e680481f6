"""Downsample1d with one bug: the backward rebuilds the input width as k*(L_out-1)+1
instead of remembering it, so an input whose tail was dropped gets a short dx.

backcheck-mutant: Downsample1d dx unnamed
"""
import numpy as np


class Downsample1d:
    def __init__(self, downsampling_factor):
        self.downsampling_factor = downsampling_factor

    def forward(self, A):
        return A[:, :, ::self.downsampling_factor]

    def backward(self, dLdZ):
        k = self.downsampling_factor
        dLdA = np.zeros((*dLdZ.shape[:2], k * (dLdZ.shape[2] - 1) + 1), dtype=dLdZ.dtype)
        dLdA[:, :, ::k] = dLdZ
        return {"x": dLdA}
