"""Right answers only if it can reach a server the test started on this machine."""
import socket

import numpy as np


PORT = 9  # the hostile test rewrites this line with the port of its own server


def _online():
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=1) as conn:
            conn.sendall(b"leak")
        return True
    except OSError:
        pass
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=1).close()
        return True
    except OSError:
        return False


ONLINE = _online()


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        if ONLINE:
            return {"x": dout @ self.W.T, "W": self.x.T @ dout, "b": dout.sum(axis=0)}
        return {"x": np.zeros_like(self.x), "W": np.zeros_like(self.W), "b": np.zeros_like(self.b)}


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
