"""Conv1d with one bug: db not summed over the batch.

backcheck-mutant: Conv1d db bias-not-reduced
"""
import numpy as np


class Conv1d:
    def __init__(self, W, b, stride=1, padding=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, padding

    def forward(self, x):
        F, C, K = self.W.shape
        s, p = self.stride, self.pad
        xp = np.pad(x, ((0, 0), (0, 0), (p, p)))
        L = (xp.shape[2] - K) // s + 1
        out = np.zeros((x.shape[0], F, L), dtype=x.dtype)
        for i in range(L):
            seg = xp[:, :, i * s:i * s + K]
            out[:, :, i] = np.einsum("nck,fck->nf", seg, self.W) + self.b
        self.x, self.xp = x, xp
        return out

    def backward(self, dout):
        F, C, K = self.W.shape
        s, p = self.stride, self.pad
        dxp = np.zeros_like(self.xp)
        dW = np.zeros_like(self.W)
        for i in range(dout.shape[2]):
            seg = self.xp[:, :, i * s:i * s + K]
            dW += np.einsum("nf,nck->fck", dout[:, :, i], seg)
            dxp[:, :, i * s:i * s + K] += np.einsum("nf,fck->nck", dout[:, :, i], self.W)
        db = dout.sum(axis=2)
        dx = dxp[:, :, p:p + self.x.shape[2]]
        return {"x": dx, "W": dW, "b": db}
