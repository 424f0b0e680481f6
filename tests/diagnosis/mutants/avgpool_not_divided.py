"""AvgPool2d with one bug: no 1/k².

backcheck-mutant: AvgPool2d dx avgpool-not-divided
"""
import numpy as np


class AvgPool2d:
    def __init__(self, kernel_size, stride=None):
        self.k = kernel_size
        self.s = stride or kernel_size

    def forward(self, x):
        self.shape = x.shape
        k, s = self.k, self.s
        N, C, H, W = x.shape
        Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
        out = np.zeros((N, C, Ho, Wo), dtype=x.dtype)
        for i in range(Ho):
            for j in range(Wo):
                out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].mean(axis=(2, 3))
        return out

    def backward(self, dout):
        k, s = self.k, self.s
        dx = np.zeros(self.shape, dtype=dout.dtype)
        N, C, Ho, Wo = dout.shape
        for i in range(Ho):
            for j in range(Wo):
                share = dout[:, :, i, j][:, :, None, None]
                dx[:, :, i * s:i * s + k, j * s:j * s + k] += share
        return {"x": dx}
