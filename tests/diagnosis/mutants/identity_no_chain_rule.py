"""Identity with one bug: the backward returns the local derivative (ones) and forgets to
multiply it by dout.

backcheck-mutant: Identity dx unnamed
"""
import numpy as np


class Identity:
    def forward(self, x):
        return x

    def backward(self, dout):
        return {"x": np.ones_like(dout)}
