"""MaxPool2d with one bug: no mask.

backcheck-mutant: MaxPool2d dx maxpool-gradient-spread
"""
import numpy as np


class MaxPool2d:
    def __init__(self, kernel_size, stride=None):
        self.k = kernel_size
        self.s = stride or kernel_size

    def forward(self, x):
        self.x = x
        k, s = self.k, self.s
        N, C, H, W = x.shape
        Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
        out = np.zeros((N, C, Ho, Wo), dtype=x.dtype)
        for i in range(Ho):
            for j in range(Wo):
                out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
        return out

    def backward(self, dout):
        k, s = self.k, self.s
        x = self.x
        dx = np.zeros_like(x)
        N, C, Ho, Wo = dout.shape
        for n in range(N):
            for c in range(C):
                for i in range(Ho):
                    for j in range(Wo):
                        win = x[n, c, i * s:i * s + k, j * s:j * s + k]
                        mask = win == win.max()
                        dx[n, c, i * s:i * s + k, j * s:j * s + k] += dout[n, c, i, j]
        return {"x": dx}
