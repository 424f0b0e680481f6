"""Linear.backward writes outcomes for later cases carrying 150 MB of observations each."""
import gc
import json
import os
import struct

MB = 150
CASES = ["Linear-case1-float64", "Linear-case2-float64", "Linear-case3-float64"]


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def forge() -> None:
    """Outcome frames announcing MB megabytes of observations each, then the bytes."""
    fd = next(o.fd for o in gc.get_objects() if type(o).__name__ == "Channel")
    chunk = bytes(2**20)
    for case in CASES:
        header = {"type": "outcome", "case": case, "output": None, "grads": {},
                  "error": None, "problems": {}, "observations": {"$d": {"x": {"$a": 0}}},
                  "arrays": [{"dtype": "|u1", "shape": [MB * 2**20]}]}
        text = json.dumps(header).encode()
        write_all(fd, struct.pack(">I", len(text)) + text)
        for _ in range(MB):
            write_all(fd, chunk)


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        forge()
        return {"x": dout @ self.W.T, "W": self.x.T @ dout, "b": dout.sum(axis=0)}


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
