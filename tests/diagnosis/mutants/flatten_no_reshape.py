"""Flatten with one bug: dx left flat.

backcheck-mutant: Flatten dx broadcast-shape
"""
import numpy as np


class Flatten:
    def forward(self, x):
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        dx = dout
        return {"x": dx}
