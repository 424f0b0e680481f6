"""Class-based layers under other names, constructors, layouts and gradient homes."""

from __future__ import annotations

import numpy as np
from adapter_checks import messages, run_check, verdicts

from harness.adapters.classes import ClassesAdapter
from harness.specs import CATALOG


def test_dense_relu_tanh_and_softmax_cross_entropy_pass(submissions):
    result = run_check(submissions / "classes" / "dense_numpy.py",
                       ["Linear", "ReLU", "Tanh", "CrossEntropy"])
    assert result.adapter == "classes"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


def test_a_bias_gradient_of_one_row_and_a_pass_through_relu_are_caught(submissions):
    result = run_check(submissions / "classes" / "dense_buggy.py", ["Linear", "ReLU"])
    found = verdicts(result)
    assert found["Linear.db"] == {"pass", "fail"}
    assert {c.case for c in result.checks if c.verdict == "fail" and c.layer == "Linear"} \
        == {1, 2, 3}
    assert found["ReLU.dx"] == {"fail"}
    assert found["Linear.dW"] == found["Linear.dx"] == {"pass"}


def test_out_in_weights_tuple_returns_and_array_constructors_pass(submissions):
    result = run_check(submissions / "classes" / "tuple_returns.py", ["Linear", "LayerNorm"])
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


def _run(source: str, layer: str, tmp_path):
    path = tmp_path / "lib.py"
    path.write_text(source)
    return run_check(path, [layer], adapter="classes", dtypes=("float64",))


def test_a_gradient_that_is_nowhere_is_reported_per_quantity(tmp_path):
    result = _run(
        "import numpy as np\n"
        "class Dense:\n"
        "    def __init__(self, n_in, n_out):\n"
        "        self.W = np.zeros((n_in, n_out)); self.b = np.zeros(n_out)\n"
        "    def forward(self, x):\n"
        "        self.x = x; return x @ self.W + self.b\n"
        "    def backward(self, dout):\n"
        "        self.dW = self.x.T @ dout\n"
        "        return dout @ self.W.T\n", "Linear", tmp_path)
    found = verdicts(result)
    assert found["Linear.dW"] == found["Linear.dx"] == {"pass"}
    assert found["Linear.db"] == {"error"}
    assert "gave no gradient for 'b'" in messages(result, "Linear")[-1]


def test_a_backward_returning_none_or_a_list_is_an_error_of_that_quantity(tmp_path):
    none = _run("class ReLU:\n    def forward(self, x):\n        return x * (x > 0)\n"
                "    def backward(self, dout):\n        pass\n", "ReLU", tmp_path)
    assert verdicts(none) == {"ReLU.out": {"pass"}, "ReLU.dx": {"error"}}
    assert "returned no gradient for the input 'x'" in messages(none, "ReLU")[-1]
    listed = _run("class ReLU:\n    def forward(self, x):\n        self.x = x\n"
                  "        return x * (x > 0)\n"
                  "    def backward(self, dout):\n        return (dout * (self.x > 0)).tolist()\n",
                  "ReLU", tmp_path)
    dx = [c for c in listed.checks if c.quantity == "dx"]
    assert {c.verdict for c in dx} == {"fail"}
    assert "returned a list" in dx[0].comparison.describe()


def test_a_constructor_argument_nobody_knows_is_a_clear_error(tmp_path):
    result = _run("class Dense:\n    def __init__(self, mystery):\n        pass\n"
                  "    def forward(self, x):\n        return x\n"
                  "    def backward(self, d):\n        return d\n", "Linear", tmp_path)
    assert "no value known for its argument 'mystery'" in messages(result, "Linear")[0]


def test_detection_names_each_class_and_the_layer_it_implements(submissions):
    from harness.loaders import load

    namespace = load(str(submissions / "classes" / "dense_numpy.py")).namespace
    detection = ClassesAdapter().detect(namespace)
    assert detection.layers == ("Linear", "ReLU", "Tanh", "CrossEntropy")
    assert "Dense as Linear" in detection.evidence


def test_torch_style_layers_get_arrays_of_the_case_dtype(tmp_path):
    adapter = ClassesAdapter()
    seen = {}

    class Linear:
        def __init__(self, in_features, out_features):
            self.W = np.zeros((out_features, in_features), dtype=np.float32)
            self.b = np.zeros(out_features, dtype=np.float32)

        def forward(self, x):
            seen["dtypes"] = (x.dtype, self.W.dtype)
            self.x = x
            return x @ self.W.T + self.b

        def backward(self, dout):
            self.grad_W, self.grad_b = dout.T @ self.x, dout.sum(0)
            return dout @ self.W

    case = CATALOG["Linear"].case(1, "float64")
    outcome = adapter.run(Linear, CATALOG["Linear"], case)
    assert seen["dtypes"] == (np.float64, np.float64)
    np.testing.assert_allclose(outcome.grads["W"], case.inputs["x"].T @ case.upstream)


def test_a_layer_that_mutates_its_input_cannot_touch_the_case():
    class Relu:
        def forward(self, x):
            self.m = x > 0
            x *= self.m
            return x

        def backward(self, dout):
            dout *= self.m
            return dout

    spec = CATALOG["ReLU"]
    case = spec.case(1, "float64")
    x, upstream = case.inputs["x"].copy(), case.upstream.copy()
    outcome = ClassesAdapter().run(Relu, spec, case)
    assert (case.inputs["x"] == x).all() and (case.upstream == upstream).all()
    np.testing.assert_allclose(outcome.grads["x"], upstream * (x > 0))


def test_the_reference_read_through_the_classes_adapter_passes_every_layer():
    layers = [name for name, spec in CATALOG.items() if spec.kind != "network"]
    result = run_check("reference", layers, adapter="classes", dtypes=("float64",))
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]
    assert {c.layer for c in result.checks} == set(layers)
