"""Dropout with one bug: divides by p.

backcheck-mutant: Dropout out dropout-p-is-keep
"""
import numpy as np


class Dropout:
    def __init__(self, p=0.5):
        self.p = p

    def forward(self, x, mask):
        self.mask = mask
        return x * mask / self.p

    def backward(self, dout):
        dx = dout * self.mask / (1 - self.p)
        return {"x": dx}
