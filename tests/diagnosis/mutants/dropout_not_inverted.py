"""Dropout with one bug: plain dropout.

backcheck-mutant: Dropout out dropout-not-inverted
"""
import numpy as np


class Dropout:
    def __init__(self, p=0.5):
        self.p = p

    def forward(self, x, mask):
        self.mask = mask
        return x * mask

    def backward(self, dout):
        dx = dout * self.mask / (1 - self.p)
        return {"x": dx}
