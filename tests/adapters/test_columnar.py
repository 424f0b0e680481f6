"""Column-major whole networks, checked as the catalog network they implement."""

from __future__ import annotations

from adapter_checks import run_check, verdicts

from harness.adapters.columnar import ColumnarAdapter
from harness.loaders import load

REGRESSION = """import numpy as np

class Net:
    def __init__(self, n_x, n_h, n_y):
        self.W1, self.b1 = np.zeros((n_h, n_x)), np.zeros((n_h, 1))
        self.W2, self.b2 = np.zeros((n_y, n_h)), np.zeros((n_y, 1))

    def forward(self, X):
        Z1 = self.W1 @ X + self.b1
        A1 = np.maximum(Z1, 0)
        A2 = self.W2 @ A1 + self.b2
        return A2, (X, Z1, A1, A2)

    def cost(self, A2, Y):
        return np.mean((A2 - Y) ** 2)

    def backward(self, Y, cache):
        X, Z1, A1, A2 = cache
        m = Y.shape[1]
        dA2 = 2 * (A2 - Y) / m
        dZ1 = (self.W2.T @ dA2) * (Z1 > 0)
        return {"dW1": dZ1 @ X.T, "db1": dZ1.sum(1, keepdims=True) BIAS,
                "dW2": dA2 @ A1.T, "db2": dA2.sum(1, keepdims=True)}
"""


def _write(tmp_path, bias: str):
    path = tmp_path / "regression.py"
    path.write_text(REGRESSION.replace("BIAS", bias))
    return path


def test_a_network_without_output_sigmoid_is_checked_as_RegressionMLP(tmp_path):
    path = _write(tmp_path, "")
    detection = ColumnarAdapter().detect(load(str(path)).namespace)
    assert detection.layers == ("RegressionMLP",)
    result = run_check(path, ["RegressionMLP"])
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


def test_a_wrong_bias_gradient_is_caught_and_the_rest_passes(tmp_path):
    found = verdicts(run_check(_write(tmp_path, "* 2"), ["RegressionMLP"]))
    # Cases where both hidden units are off have db1 = 0, which twice 0 matches.
    assert "fail" in found.pop("RegressionMLP.db1")
    assert all(v == {"pass"} for v in found.values())


def test_the_network_can_be_declared(tmp_path, submissions):
    path = submissions / "seeds" / "xor_columnar.py"
    namespace = load(str(path)).namespace
    assert ColumnarAdapter().detect(namespace).layers == ("XORNet",)
    from harness.adapters import load as load_adapter

    declared = load_adapter("columnar:network=RegressionMLP").detect(namespace)
    assert declared.layers == ("RegressionMLP",)


def test_a_network_that_updates_its_parameters_in_place_cannot_touch_the_case():
    from harness.adapters.columnar import run_network
    from harness.specs import CATALOG

    namespace = {}
    exec(REGRESSION.replace("BIAS", ""), namespace)

    class Updating(namespace["Net"]):
        def backward(self, Y, cache):
            grads = super().backward(Y, cache)
            self.W1 -= grads["dW1"]
            self.b1 -= grads["db1"]
            return grads

    spec = CATALOG["RegressionMLP"]
    case = spec.case(1, "float64")
    before = {k: v.copy() for k, v in case.params.items()}
    outcome = run_network(Updating, spec, case)
    assert outcome.error is None and set(outcome.grads) == set(spec.params)
    for name, value in before.items():
        assert (case.params[name] == value).all(), name


LINEAR = """import numpy as np

class LinReg:
    def __init__(self, n_x, n_y):
        self.NAME, self.bNAME = np.zeros((n_y, n_x)), np.zeros((n_y, 1))

    def forward(self, X):
        A = self.NAME @ X + self.bNAME
        return A, (X, A)

    def compute_loss(self, Y, A):
        return np.mean((A - Y) ** 2)

    def backward(self, Y, cache):
        X, A = cache
        dA = 2 * (A - Y) / Y.shape[1]
        return {"dNAME": dA @ X.T, "dbNAME": dA.sum(axis=1, keepdims=True)}
"""


def test_a_single_layer_is_checked_as_LinearRegression_with_or_without_numbers(tmp_path):
    for suffix in ("", "1"):
        path = tmp_path / f"linreg{suffix}.py"
        path.write_text(LINEAR.replace("bNAME", f"b{suffix}").replace("NAME", f"W{suffix}"))
        result = run_check(path, ["LinearRegression"])
        assert result.adapter == "columnar"
        assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]
