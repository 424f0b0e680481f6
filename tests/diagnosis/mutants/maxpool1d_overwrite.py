"""MaxPool1d with one bug: = instead of += where windows overlap.

backcheck-mutant: MaxPool1d dx maxpool-overwrite
"""
import numpy as np


class MaxPool1d:
    def __init__(self, kernel_size, stride=None):
        self.k = kernel_size
        self.s = stride or kernel_size

    def forward(self, A):
        self.A = A
        k, s = self.k, self.s
        L_out = (A.shape[2] - k) // s + 1
        Z = np.zeros((*A.shape[:2], L_out), dtype=A.dtype)
        for i in range(L_out):
            Z[:, :, i] = A[:, :, i * s:i * s + k].max(axis=2)
        return Z

    def backward(self, dLdZ):
        k, s = self.k, self.s
        dLdA = np.zeros_like(self.A)
        for i in range(dLdZ.shape[2]):
            window = self.A[:, :, i * s:i * s + k]
            mask = window == window.max(axis=2, keepdims=True)
            dLdA[:, :, i * s:i * s + k] = mask * dLdZ[:, :, i:i + 1]
        return {"x": dLdA}
