"""Each call returns something different (a growing offset on every result)."""
import numpy as np

CALLS = [0]


def _drift(array):
    CALLS[0] += 1
    return array + 1e-2 * CALLS[0]


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return _drift(x @ self.W + self.b)

    def backward(self, dout):
        return {"x": _drift(dout @ self.W.T), "W": _drift(self.x.T @ dout),
                "b": _drift(dout.sum(axis=0))}


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return _drift(x * self.mask)

    def backward(self, dout):
        return {"x": _drift(dout * self.mask)}
