"""Declared conventions: converted exactly when declared, never guessed."""

from __future__ import annotations

import numpy as np
import pytest
from adapter_checks import messages, run_check, verdicts

from harness.adapters.conventions import Conventions, grad_scale, parse
from harness.errors import UsageError
from harness.specs import CATALOG

LAYERS = ["Linear", "MSELoss", "Sigmoid", "Conv2d"]


def test_a_library_with_declared_conventions_passes(submissions):
    folder = submissions / "conventions"
    result = run_check(folder / "mylib.py", LAYERS, adapter_file=folder / "mylib_adapter.py")
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


def test_the_same_conventions_on_the_command_line(submissions):
    option = ("classes:param_grads=per-sample,loss_grad=sum,activation_grad=local,"
              "channels_last=true,accumulate=true")
    result = run_check(submissions / "conventions" / "mylib.py", LAYERS, adapter=option,
                       dtypes=("float64",))
    assert result.passed


def test_undeclared_conventions_are_not_guessed(submissions):
    result = run_check(submissions / "conventions" / "mylib.py", LAYERS, dtypes=("float64",))
    found = verdicts(result)
    assert "fail" in found["Linear.dW"] and "fail" in found["MSELoss.dx"]
    assert found["Sigmoid.dx"] == {"error"}
    assert any("Sigmoid.activation_grad=derivative" in m for m in messages(result, "Sigmoid"))
    assert found["Conv2d.out"] != {"pass"}


def test_parse_reads_every_kind_of_value():
    parsed = parse("loss_grad=half-sse, bias=row, channels-last=yes, lr=0.5, network=XORNet")
    assert parsed == Conventions(loss_grad="half-sse", bias="row", channels_last=True, lr=0.5,
                                 network="XORNet")


@pytest.mark.parametrize(("text", "message"), [
    ("loss=sum", "unknown adapter option 'loss'"),
    ("loss_grad=total", "adapter option loss_grad='total' is not valid"),
    ("lr=fast", "adapter option lr='fast' is not a number"),
])
def test_parse_names_what_is_wrong(text, message):
    with pytest.raises(UsageError, match=message):
        parse(text)


def test_loss_scales_follow_what_the_loss_averages():
    mse, ce = CATALOG["MSELoss"], CATALOG["CrossEntropy"]
    mse_case, ce_case = mse.case(1, "float64"), ce.case(1, "float64")
    size, batch = mse_case.inputs["x"].size, ce_case.inputs["x"].shape[0]
    assert grad_scale(mse, mse_case, "x", Conventions(loss_grad="sum")) == 1 / size
    assert grad_scale(mse, mse_case, "x", Conventions(loss_grad="half-sse")) == 2 / size
    assert grad_scale(ce, ce_case, "x", Conventions(loss_grad="sum")) == 1 / batch
    assert grad_scale(mse, mse_case, "x", Conventions()) == 1.0


def test_per_sample_parameter_gradients_scale_parameters_only():
    linear = CATALOG["Linear"]
    case = linear.case(1, "float64")
    declared = Conventions(param_grads="per-sample")
    assert grad_scale(linear, case, "W", declared) == case.inputs["x"].shape[0]
    assert grad_scale(linear, case, "x", declared) == 1.0


def test_accumulating_gradients_are_read_as_the_change_of_one_backward():
    from harness.adapters.classes import ClassesAdapter

    class Linear:
        def __init__(self, n_in, n_out):
            self.W, self.b = np.zeros((n_in, n_out)), np.zeros(n_out)
            self.dW, self.db = np.ones((n_in, n_out)), np.ones(n_out)

        def forward(self, x):
            self.x = x
            return x @ self.W + self.b

        def backward(self, dout):
            self.dW = self.dW + self.x.T @ dout
            self.db = self.db + dout.sum(0)
            return dout @ self.W.T

    spec = CATALOG["Linear"]
    case = spec.case(1, "float64")
    plain = ClassesAdapter().run(Linear, spec, case)
    declared = ClassesAdapter(Conventions(accumulate=True)).run(Linear, spec, case)
    expected = case.inputs["x"].T @ case.upstream
    np.testing.assert_allclose(declared.grads["W"], expected)
    np.testing.assert_allclose(plain.grads["W"], expected)  # flushed before backward
