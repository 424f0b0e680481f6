"""BatchNorm with one bug: ddof=1.

backcheck-mutant: BatchNorm out norm-unbiased-variance
"""
import numpy as np


class BatchNorm:
    def __init__(self, gamma, beta, eps=1e-5):
        self.gamma, self.beta, self.eps = gamma, beta, eps

    def forward(self, x):
        mu = x.mean(axis=0, keepdims=True)
        var = x.var(axis=0, ddof=1, keepdims=True)
        self.inv = 1 / np.sqrt(var + self.eps)
        self.xhat = (x - mu) * self.inv
        return self.gamma * self.xhat + self.beta

    def backward(self, dout):
        dxhat = dout * self.gamma
        term_mean = dxhat.mean(axis=0, keepdims=True)
        term_var = self.xhat * (dxhat * self.xhat).mean(axis=0, keepdims=True)
        dx = self.inv * (dxhat - term_mean - term_var)
        dgamma = (dout * self.xhat).sum(axis=0)
        dbeta = dout.sum(axis=0)
        return {"x": dx, "gamma": dgamma, "beta": dbeta}
