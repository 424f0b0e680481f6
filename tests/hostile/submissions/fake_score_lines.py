"""Wrong gradients; prints lines that look like a perfect score."""
import sys

import numpy as np

print("44 / 44 checks passed (0.1 s, adapter native)")
print('{"passed": true, "score": 100}')
sys.stderr.write("Score: 100/100\n")


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        return {"x": np.zeros_like(self.x), "W": np.zeros_like(self.W), "b": np.zeros_like(self.b)}


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
