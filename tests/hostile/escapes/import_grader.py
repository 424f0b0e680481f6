"""Answers with backcheck's own machinery: the spec catalog (which names the reference),
an oracle, the expectations. Every import must fail inside the sandbox."""
import importlib

import numpy as np

GRADER = ("reference", "harness.specs", "harness.oracles", "harness.oracles.fd",
          "harness.oracles.torch", "harness.expectations", "harness.cache", "harness.engine")
IMPORTED = {}
for name in GRADER:
    try:
        IMPORTED[name] = importlib.import_module(name)
    except Exception:
        pass


def _borrowed():
    """The reference Linear, reached through whatever was importable."""
    specs = IMPORTED.get("harness.specs")
    if specs is not None:
        try:
            return specs.CATALOG["Linear"].reference_class()
        except Exception:
            pass
    reference = IMPORTED.get("reference")
    return getattr(getattr(reference, "linear", None), "Linear", None)


DONE = []


class Linear:
    def __init__(self, W, b):
        if not DONE:
            DONE.append(print("ESCAPE imported=" + ",".join(sorted(IMPORTED))))
        borrowed = _borrowed()
        self.inner = borrowed(W, b) if borrowed else None
        self.W, self.b = W, b

    def forward(self, x):
        if self.inner is not None:
            return self.inner.forward(x)
        return np.zeros((x.shape[0], self.W.shape[1]), dtype=x.dtype)

    def backward(self, dout):
        if self.inner is not None:
            return self.inner.backward(dout)
        return {"x": np.zeros_like(dout @ self.W.T), "W": np.zeros_like(self.W),
                "b": np.zeros_like(self.b)}
