"""Linear returns integer arrays, a string array, a float and a tuple; ReLU an object array."""
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.rint(x @ self.W + self.b).astype(np.int64)

    def backward(self, dout):
        return {"x": np.array(["dx"] * 3), "W": 0.5, "b": tuple(dout.sum(axis=0))}


class ReLU:
    def forward(self, x):
        self.x = x
        return np.array([object()] * x.size, dtype=object)

    def backward(self, dout):
        return {"x": [dout * (self.x > 0)]}
