"""ConvTranspose2d with one bug: dW comes out reversed along both kernel axes.

backcheck-mutant: ConvTranspose2d dW conv-dw-flipped
"""
import numpy as np


class ConvTranspose2d:
    def __init__(self, W, b, stride=1, padding=0):
        self.W, self.b, self.stride, self.padding = W, b, stride, padding

    def forward(self, x):
        self.x = x
        C_in, C_out, KH, KW = self.W.shape
        N, _, H, Wd = x.shape
        s, p = self.stride, self.padding
        full = np.zeros((N, C_out, (H - 1) * s + KH, (Wd - 1) * s + KW), dtype=x.dtype)
        for i in range(H):
            for j in range(Wd):
                full[:, :, i * s:i * s + KH, j * s:j * s + KW] += np.einsum(
                    "nc,cokl->nokl", x[:, :, i, j], self.W)
        return full[:, :, p:full.shape[2] - p, p:full.shape[3] - p] + self.b[None, :, None, None]

    def backward(self, dout):
        C_in, C_out, KH, KW = self.W.shape
        N, _, H, Wd = self.x.shape
        s, p = self.stride, self.padding
        dfull = np.pad(dout, ((0, 0), (0, 0), (p, p), (p, p)))
        dx = np.zeros_like(self.x)
        dW = np.zeros_like(self.W)
        for i in range(H):
            for j in range(Wd):
                window = dfull[:, :, i * s:i * s + KH, j * s:j * s + KW]
                dx[:, :, i, j] = np.einsum("nokl,cokl->nc", window, self.W)
                dW += np.einsum("nc,nokl->cokl", self.x[:, :, i, j], window)
        dW = dW[:, :, ::-1, ::-1]
        return {"x": dx, "W": dW, "b": dout.sum(axis=(0, 2, 3))}
