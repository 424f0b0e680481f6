"""Where a wrong quantity was computed: found in the submission's source, every style."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import engine
from harness.location import locate
from harness.result import FAIL, PASS, Check
from harness.specs import CATALOG
from harness.target import Target

NATIVE = '''import numpy as np
class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b
    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        dW = self.x.T @ dout
        return {"x": dx, "W": dW, "b": dout.sum(0)}
'''
STORED = '''class Layer_Dense:
    def forward_pass(self, inputs):
        self.inputs = inputs
        self.output = inputs @ self.weights
    def backward_pass(self, dvalues):
        self.dweights = self.inputs.T @ dvalues
        self.dbiases = dvalues.sum(axis=0, keepdims=True)
        self.dinputs = dvalues @ self.weights.T
'''
CS231N = '''def affine_forward(x, w, b):
    return x @ w + b, (x, w, b)

def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout @ w.T
    return dx, x.T @ dout, dout.sum(0)
'''
DICTS = '''class Dense:
    def backward(self, d):
        self.grads["W"] = self.x.T @ d
        return d @ self.params["W"].T
'''
SGD = '''class Linear:
    def backward(self, d, lr=0.1):
        g = self.x.T @ d
        self.W -= lr * g
        return d @ self.W.T
'''


def place(text: str, layer: str, quantity: str) -> str:
    return str(locate([("alice.py", text)], layer, quantity))


def test_a_returned_dict_points_at_the_assignment_of_its_value():
    assert place(NATIVE, "Linear", "dW") == (
        "in Linear.backward (alice.py:9), line 11: `dW = self.x.T @ dout`")
    assert place(NATIVE, "Linear", "dx").endswith("line 10: `dx = dout @ self.W.T`")


def test_the_output_is_the_forward_return():
    assert place(NATIVE, "Linear", "out") == (
        "in Linear.forward (alice.py:5), line 7: `return x @ self.W + self.b`")


def test_a_stored_gradient_is_its_attribute_assignment():
    assert place(STORED, "Linear", "dW").endswith(
        "line 6: `self.dweights = self.inputs.T @ dvalues`")
    assert place(STORED, "Linear", "db").endswith("line 7: `self.dbiases = "
                                                  "dvalues.sum(axis=0, keepdims=True)`")
    assert place(STORED, "Linear", "dW").startswith("in Layer_Dense.backward_pass")


def test_a_cs231n_function_is_its_return():
    assert place(CS231N, "Linear", "dW") == (
        "in affine_backward (alice.py:4), line 7: `return dx, x.T @ dout, dout.sum(0)`")


def test_a_gradients_dict_entry_and_an_sgd_step_are_found():
    assert place(DICTS, "Linear", "dW").endswith("line 3: `self.grads[\"W\"] = self.x.T @ d`")
    assert place(SGD, "Linear", "dW").endswith("line 4: `self.W -= lr * g`")


@pytest.mark.parametrize("text", ["def f(:\n", "class Other:\n    def backward(self): return 1\n",
                                  ""])
def test_no_function_for_the_layer_means_no_place(text):
    assert locate([("alice.py", text)], "Linear", "dW") is None


def test_engine_tells_only_failing_checks_where(tmp_path: Path):
    path = tmp_path / "alice.py"
    path.write_text(NATIVE.replace("self.x.T @ dout", "dout.T @ self.x"))
    result = engine.check(Target(str(path)), [CATALOG["Linear"]], ["float64"], ["fd"])
    failing = [c for c in result.checks if c.verdict == FAIL]
    assert failing and {c.quantity for c in failing} == {"dW"}
    assert all("Computed in Linear.backward (alice.py:9), line 11: `dW = dout.T @ self.x`"
               in c.explain() for c in failing)
    assert all(not c.where for c in result.checks if c.verdict == PASS)


def test_a_program_over_the_protocol_is_told_its_layer():
    checks = [Check("ReLU", 0, "float64", "dx", "fd", FAIL)]
    located = engine.locate("prog", engine.PROTOCOL, checks)
    assert located[0].where == "in the program's ReLU layer"
    assert "Computed in the program's ReLU layer." in located[0].explain()


def test_backchecks_own_code_is_never_quoted(tmp_path: Path):
    """A submission whose layer raises inside numpy: the place is still its own line."""
    path = tmp_path / "alice.py"
    path.write_text(NATIVE.replace("dW = self.x.T @ dout", "dW = self.x.T @ dout.T"))
    result = engine.check(Target(str(path)), [CATALOG["Linear"]], ["float64"], ["fd"])
    wheres = {c.where for c in result.checks if c.where}
    assert wheres and all("alice.py" in w for w in wheres)
