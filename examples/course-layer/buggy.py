"""A student's RMSNorm with one bug: backward treats the RMS as a constant."""

import numpy as np


class RMSNorm:
    def __init__(self, gamma, eps=1e-6):
        self.gamma = gamma
        self.eps = eps

    def forward(self, x):
        self.x = x
        self.rms = np.sqrt((x * x).mean(axis=1, keepdims=True) + self.eps)
        return self.gamma * x / self.rms

    def backward(self, dout):
        dx = dout * self.gamma / self.rms
        dgamma = np.sum(dout * self.x / self.rms, axis=0)
        return {"x": dx, "gamma": dgamma}
