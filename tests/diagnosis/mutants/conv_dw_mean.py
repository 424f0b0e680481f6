"""Conv2d with one bug: dW over the batch.

backcheck-mutant: Conv2d dW scaled
"""
import numpy as np


class Conv2d:
    def __init__(self, W, b, stride=1, padding=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, padding

    def forward(self, x):
        F, C, HH, WW = self.W.shape
        s, p = self.stride, self.pad
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        N, _, H, Wd = xp.shape
        Ho, Wo = (H - HH) // s + 1, (Wd - WW) // s + 1
        out = np.zeros((N, F, Ho, Wo), dtype=x.dtype)
        for n in range(N):
            for f in range(F):
                for i in range(Ho):
                    for j in range(Wo):
                        patch = xp[n, :, i * s:i * s + HH, j * s:j * s + WW]
                        out[n, f, i, j] = np.sum(patch * self.W[f]) + self.b[f]
        self.x, self.xp = x, xp
        return out

    def backward(self, dout):
        F, C, HH, WW = self.W.shape
        s, p = self.stride, self.pad
        N, _, Ho, Wo = dout.shape
        dxp = np.zeros_like(self.xp)
        dW = np.zeros_like(self.W)
        for n in range(N):
            for f in range(F):
                for i in range(Ho):
                    for j in range(Wo):
                        patch = self.xp[n, :, i * s:i * s + HH, j * s:j * s + WW]
                        dW[f] += dout[n, f, i, j] * patch / N
                        dxp[n, :, i * s:i * s + HH, j * s:j * s + WW] += dout[n, f, i, j] * self.W[f]
        db = dout.sum(axis=(0, 2, 3))
        H, Wd = self.x.shape[2:]
        dx = dxp[:, :, p:p + H, p:p + Wd]
        return {"x": dx, "W": dW, "b": db}
