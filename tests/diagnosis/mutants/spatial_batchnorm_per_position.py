"""Spatial batch norm with one bug: statistics per (C, H, W) over N only, as plain BatchNorm
on the unflattened input.

backcheck-mutant: SpatialBatchNorm out norm-wrong-axis also all-zeros
"""
import numpy as np


class SpatialBatchNorm:
    def __init__(self, gamma, beta, eps=1e-5):
        self.gamma, self.beta, self.eps = gamma, beta, eps

    def forward(self, x):
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        self.inv = 1 / np.sqrt(var + self.eps)
        self.xhat = (x - mu) * self.inv
        return self.gamma[:, None, None] * self.xhat + self.beta[:, None, None]

    def backward(self, dout):
        n = dout.shape[0]
        dxhat = dout * self.gamma[:, None, None]
        dx = self.inv / n * (n * dxhat - dxhat.sum(axis=0)
                             - self.xhat * (dxhat * self.xhat).sum(axis=0))
        dgamma = (dout * self.xhat).sum(axis=(0, 2, 3))
        dbeta = dout.sum(axis=(0, 2, 3))
        return {"x": dx, "gamma": dgamma, "beta": dbeta}
