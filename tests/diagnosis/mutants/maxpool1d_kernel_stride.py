"""MaxPool1d with one bug, MyTorch style: window i starts at i * kernel, as if the stride
were always the kernel size (the output length does use the stride).

backcheck-mutant: MaxPool1d out unnamed
"""
import numpy as np


class MaxPool1d:
    def __init__(self, kernel_size, stride=None):
        self.kernel = kernel_size
        self.stride = stride or kernel_size

    def window(self, i):
        start = i * self.kernel
        return slice(start, start + self.kernel)

    def forward(self, A):
        self.A = A
        L_out = (A.shape[2] - self.kernel) // self.stride + 1
        Z = np.zeros((A.shape[0], A.shape[1], L_out), dtype=A.dtype)
        for i in range(L_out):
            Z[:, :, i] = A[:, :, self.window(i)].max(axis=2)
        return Z

    def backward(self, dLdZ):
        dLdA = np.zeros_like(self.A)
        for i in range(dLdZ.shape[2]):
            win = self.A[:, :, self.window(i)]
            hit = win == win.max(axis=2, keepdims=True)
            dLdA[:, :, self.window(i)] += hit * dLdZ[:, :, i:i + 1]
        return dLdA
