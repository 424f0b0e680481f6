"""ConvTranspose1d with one bug: db keeps the length axis.

backcheck-mutant: ConvTranspose1d db bias-not-reduced
"""
import numpy as np


class ConvTranspose1d:
    def __init__(self, W, b, stride=1, padding=0):
        self.W, self.b, self.stride, self.padding = W, b, stride, padding

    def forward(self, x):
        self.x = x
        C_in, C_out, K = self.W.shape
        N, _, L = x.shape
        s, p = self.stride, self.padding
        full = np.zeros((N, C_out, (L - 1) * s + K), dtype=x.dtype)
        flipped = self.W
        for i in range(L):
            full[:, :, i * s:i * s + K] += np.einsum("nc,cok->nok", x[:, :, i], flipped)
        out = full[:, :, p:full.shape[2] - p]
        return out + self.b[None, :, None]

    def backward(self, dout):
        C_in, C_out, K = self.W.shape
        N, _, L = self.x.shape
        s, p = self.stride, self.padding
        dfull = np.pad(dout, ((0, 0), (0, 0), (p, p)))
        dx = np.zeros_like(self.x)
        dW = np.zeros_like(self.W)
        for i in range(L):
            window = dfull[:, :, i * s:i * s + K]
            dx[:, :, i] = np.einsum("nok,cok->nc", window, self.W)
            dW += np.einsum("nc,nok->cok", self.x[:, :, i], window)
        return {"x": dx, "W": dW, "b": dout.sum(axis=0)}
