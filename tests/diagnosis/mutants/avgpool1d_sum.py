"""AvgPool1d with one bug: the forward sums each window instead of averaging.

backcheck-mutant: AvgPool1d out avgpool-sum
"""
import numpy as np


class AvgPool1d:
    def __init__(self, kernel_size, stride=None):
        self.k = kernel_size
        self.s = stride or kernel_size

    def forward(self, x):
        self.shape = x.shape
        k, s = self.k, self.s
        L_out = (x.shape[2] - k) // s + 1
        return np.stack([x[:, :, i * s:i * s + k].sum(axis=2) for i in range(L_out)], axis=2)

    def backward(self, dout):
        k, s = self.k, self.s
        dx = np.zeros(self.shape, dtype=dout.dtype)
        for i in range(dout.shape[2]):
            dx[:, :, i * s:i * s + k] += dout[:, :, i:i + 1] / k
        return {"x": dx}
