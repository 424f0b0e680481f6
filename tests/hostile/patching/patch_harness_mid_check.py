"""Correct layers; Linear.forward replaces the child's own adapter, wire and NumPy helpers."""
import numpy as np

import harness.adapters.native
import harness.outcome
import harness.sandbox.codec
import harness.sandbox.wire


def _undefined(cls, spec, case):
    error = harness.outcome.RunError("not-implemented", f"{spec.name} is not defined")
    return harness.outcome.Outcome(None, error=error)


def sabotage():
    harness.adapters.native.run_layer = _undefined
    harness.adapters.native.NativeAdapter.runner = lambda self, namespace, spec: None
    harness.sandbox.wire.encode = lambda header, arrays: b"junk"
    harness.sandbox.codec.pack_outcome = lambda case_id, outcome: ({}, [])
    np.zeros_like = lambda *a, **k: 0


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        sabotage()
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
