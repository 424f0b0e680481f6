"""GELU with one bug: exact forward, but the backward of the tanh approximation.

backcheck-mutant: GELU dx gelu-tanh-derivative
"""
import math

import numpy as np


class GELU:
    def forward(self, x):
        self.x = x
        cdf = 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))
        return x * cdf

    def backward(self, dout):
        x = self.x
        k = math.sqrt(2 / math.pi)
        inner = k * (x + 0.044715 * x ** 3)
        t = np.tanh(inner)
        local = 0.5 * (1 + t) + 0.5 * x * (1 - t ** 2) * k * (1 + 3 * 0.044715 * x ** 2)
        return {"x": dout * local}
