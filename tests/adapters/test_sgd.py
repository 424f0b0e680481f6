"""Layers that apply the SGD step themselves: gradients read back from the step."""

from __future__ import annotations

from adapter_checks import messages, run_check, verdicts


def test_stepping_layers_pass(submissions):
    result = run_check(submissions / "sgd" / "stepping.py", ["Linear", "Sigmoid"])
    assert result.adapter == "sgd"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


def test_updating_before_the_input_gradient_and_a_wrong_sign_are_caught(submissions):
    found = verdicts(run_check(submissions / "sgd" / "stepping_buggy.py", ["Linear"]))
    assert found["Linear.dW"] == {"pass"}
    assert found["Linear.dx"] == {"fail"} and found["Linear.db"] == {"fail"}


FIXED_RATE = """import numpy as np
RATE = 0.05

class Linear:
    def __init__(self, n_in, n_out):
        self.W, self.b = np.zeros((n_in, n_out)), np.zeros(n_out)

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        self.W = self.W - RATE * self.x.T @ dout
        self.b = self.b - RATE * dout.sum(0)
        return dx
"""


def test_a_rate_that_cannot_be_set_must_be_declared(tmp_path):
    path = tmp_path / "fixed_rate.py"
    path.write_text(FIXED_RATE)
    undeclared = run_check(path, ["Linear"], adapter="sgd", dtypes=("float64",))
    assert verdicts(undeclared)["Linear.dW"] == {"error"}
    assert "declare it with --adapter sgd:lr=VALUE" in messages(undeclared, "Linear")[0]
    declared = run_check(path, ["Linear"], adapter="sgd:lr=0.05", dtypes=("float64",))
    assert declared.passed, [c.explain() for c in declared.checks if not c.passed][:3]


def test_stepping_layers_in_a_notebook_are_detected(tmp_path, submissions):
    import nbformat

    from harness import adapters
    from harness.loaders import load

    source = (submissions / "sgd" / "stepping.py").read_text()
    linear = source[source.index("class Linear"):source.index("class Sigmoid")]
    rate = linear.replace("input_dim, output_dim, lr=0.1", "input_dim, output_dim")
    rate = rate.replace("self.lr = lr", "self.lr = 0.1")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np"), nbformat.v4.new_code_cell(rate)])
    path = tmp_path / "stepping.ipynb"
    nbformat.write(notebook, str(path))
    adapter, detection = adapters.choose(load(str(path)).namespace)
    assert adapter.name == "sgd" and detection.layers == ("Linear",)
    result = run_check(path, ["Linear"], dtypes=("float64",))
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]
