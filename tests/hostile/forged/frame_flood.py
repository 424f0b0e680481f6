"""Linear.backward floods the result pipe with small frames for 12 s, past every clock."""
import gc
import json
import os
import struct
import time

SECONDS = 12.0


def flood(text: bytes, seconds: float) -> None:
    """Write the same frame to the result pipe as fast as it goes, for ``seconds``."""
    fd = next(o.fd for o in gc.get_objects() if type(o).__name__ == "Channel")
    data = (struct.pack(">I", len(text)) + text) * 1000
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        flood(json.dumps({"type": "where", "what": "", "location": ""}).encode(), SECONDS)
        return {"x": dout @ self.W.T, "W": self.x.T @ dout, "b": dout.sum(axis=0)}


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
