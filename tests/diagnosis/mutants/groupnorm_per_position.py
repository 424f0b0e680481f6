"""Group norm with one bug: each group's statistics are taken over its channels only, per
spatial position, instead of over (C/G, H, W).

backcheck-mutant: GroupNorm out norm-wrong-axis also all-zeros
"""
import numpy as np


class GroupNorm:
    def __init__(self, gamma, beta, G, eps=1e-5):
        self.gamma, self.beta, self.G, self.eps = gamma, beta, G, eps

    def forward(self, x):
        n, c, h, w = x.shape
        self.shape = x.shape
        xg = x.reshape(n, self.G, c // self.G, h, w)
        mu = xg.mean(axis=2, keepdims=True)
        var = xg.var(axis=2, keepdims=True)
        self.inv = 1 / np.sqrt(var + self.eps)
        self.xhat = ((xg - mu) * self.inv).reshape(x.shape)
        return self.gamma[:, None, None] * self.xhat + self.beta[:, None, None]

    def backward(self, dout):
        n, c, h, w = self.shape
        grouped = (n, self.G, c // self.G, h, w)
        dxhat = (dout * self.gamma[:, None, None]).reshape(grouped)
        xhat = self.xhat.reshape(grouped)
        m = c // self.G
        dx = self.inv / m * (m * dxhat - dxhat.sum(axis=2, keepdims=True)
                             - xhat * (dxhat * xhat).sum(axis=2, keepdims=True))
        dgamma = (dout * self.xhat).sum(axis=(0, 2, 3))
        dbeta = dout.sum(axis=(0, 2, 3))
        return {"x": dx.reshape(self.shape), "gamma": dgamma, "beta": dbeta}
