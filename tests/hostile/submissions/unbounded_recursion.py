"""Linear.backward recurses without end (with the recursion limit raised)."""
import sys


def _deeper(n):
    return _deeper(n + 1) + 1


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        sys.setrecursionlimit(10**8)
        return _deeper(0)


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
