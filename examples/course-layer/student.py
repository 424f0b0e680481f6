"""A student's RMSNorm for the course layer in ``rmsnorm.py`` (correct)."""

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
        d = self.x.shape[1]
        g = dout * self.gamma
        dx = g / self.rms - self.x * np.sum(g * self.x, axis=1, keepdims=True) / (d * self.rms**3)
        dgamma = np.sum(dout * self.x / self.rms, axis=0)
        return {"x": dx, "gamma": dgamma}
