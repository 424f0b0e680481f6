"""The CS231n function style: (out, cache) forwards and tuple backwards."""

from __future__ import annotations

from adapter_checks import run_check, verdicts

from harness.adapters.cs231n import CS231nAdapter
from harness.loaders import load

LAYERS = ["Linear", "ReLU", "Sigmoid", "BatchNorm", "LayerNorm", "Conv2d", "MaxPool2d",
          "Dropout", "CrossEntropy"]


def test_every_function_pair_passes(submissions):
    result = run_check(submissions / "cs231n" / "layers.py", LAYERS)
    assert result.adapter == "cs231n"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


def test_svm_loss_is_recognized_and_checked(submissions):
    namespace = load(str(submissions / "cs231n" / "layers.py")).namespace
    detection = CS231nAdapter().detect(namespace)
    assert set(detection.layers) == {*LAYERS, "SVMLoss"}
    result = run_check(submissions / "cs231n" / "layers.py", ["SVMLoss"])
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


def test_a_transposed_dw_and_an_unscaled_softmax_gradient_are_caught(submissions):
    result = run_check(submissions / "cs231n" / "buggy.py", ["Linear", "ReLU", "CrossEntropy"])
    found = verdicts(result)
    assert found["Linear.dW"] == {"fail"}
    assert found["ReLU.dx"] == {"pass"} and found["Linear.dx"] == {"pass"}
    assert found["CrossEntropy.dx"] == {"pass", "fail"}
    hints = {c.hint for c in result.checks if c.layer == "Linear" and c.quantity == "dW"}
    assert any("transpose" in h for h in hints)


def test_a_forward_that_returns_no_cache_is_an_error(tmp_path):
    path = tmp_path / "nocache.py"
    path.write_text("import numpy as np\n"
                    "def relu_forward(x):\n    return np.maximum(x, 0)\n"
                    "def relu_backward(dout, cache):\n    return dout\n")
    result = run_check(path, ["ReLU"], dtypes=("float64",))
    assert {c.verdict for c in result.checks} == {"error"}
    assert "relu_forward returned ndarray, expected a pair (out, cache)" in result.checks[0].message
