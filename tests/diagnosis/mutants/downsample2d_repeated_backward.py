"""Downsample2d with one bug: the backward copies dout over every k x k block.

backcheck-mutant: Downsample2d dx unnamed
"""
import numpy as np


class Downsample2d:
    def __init__(self, downsampling_factor):
        self.k = downsampling_factor

    def forward(self, A):
        self.shape = A.shape
        return A[:, :, ::self.k, ::self.k]

    def backward(self, dLdZ):
        H, W = self.shape[2:]
        spread = np.repeat(np.repeat(dLdZ, self.k, axis=2), self.k, axis=3)
        return {"x": np.ascontiguousarray(spread[:, :, :H, :W])}
