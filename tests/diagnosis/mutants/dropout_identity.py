"""Dropout with one bug: dout through.

backcheck-mutant: Dropout dx dropout-backward-identity
"""
import numpy as np


class Dropout:
    def __init__(self, p=0.5):
        self.p = p

    def forward(self, x, mask):
        self.mask = mask
        return x * mask / (1 - self.p)

    def backward(self, dout):
        dx = dout
        return {"x": dx}
