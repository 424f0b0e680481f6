"""Dropout with one bug: no 1/(1-p) in backward.

backcheck-mutant: Dropout dx dropout-backward-unscaled
"""
import numpy as np


class Dropout:
    def __init__(self, p=0.5):
        self.p = p

    def forward(self, x, mask):
        self.mask = mask
        return x * mask / (1 - self.p)

    def backward(self, dout):
        dx = dout * self.mask
        return {"x": dx}
