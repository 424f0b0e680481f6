"""A correct Linear whose forward needs a few processes of its own, started once a
neighbour has had time to use up every process it may have."""
import os
import time

import numpy as np


def _fork_and_wait(count):
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        if not getattr(Linear, "waited", False):
            Linear.waited = True
            time.sleep(2.0)
        _fork_and_wait(4)
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        return {"x": dout @ self.W.T, "W": self.x.T @ dout, "b": dout.sum(axis=0)}


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
