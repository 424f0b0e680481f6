"""Linear returns NaN, inf and a wrong shape; ReLU returns a list and then None."""
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.full((x.shape[0], self.W.shape[1]), np.nan)

    def backward(self, dout):
        return {"x": np.full(self.x.shape, np.inf), "W": np.zeros(self.W.shape + (2,)),
                "b": dout.sum(axis=0)}


class ReLU:
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0).tolist()

    def backward(self, dout):
        return None
