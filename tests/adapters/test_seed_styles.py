"""Code written in the styles of the three tutorials, checked as a user would expect."""

from __future__ import annotations

import json

import pytest
from adapter_checks import messages, run_check, verdicts

from harness import cli


def test_the_column_major_xor_network_passes_as_XORNet(submissions):
    result = run_check(submissions / "seeds" / "xor_columnar.py", ["XORNet"])
    assert result.adapter == "columnar"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]
    assert {"out", "dW1", "db1", "dW2", "db2"} == {c.quantity for c in result.checks}
    assert "adapter columnar: column-major networks TwoLayerNet as XORNet" in result.notes
    assert "made 1 matplotlib figures while loading (not shown)" in result.notes


def test_a_sigmoid_whose_backward_calls_the_class_fails_alone(submissions):
    """Only its gradient: the forward is right and earns its points."""
    result = run_check(submissions / "seeds" / "sigmoid_calls_class.py",
                       ["Linear", "ReLU", "Sigmoid"])
    found = verdicts(result)
    assert found["Sigmoid.dx"] == {"error"} and found["Sigmoid.out"] == {"pass"}
    assert messages(result, "Sigmoid") == [
        "exception: Sigmoid.backward raised TypeError: Sigmoid() takes no arguments "
        "(at sigmoid_calls_class.py:17)"]
    others = {k: v for k, v in found.items() if not k.startswith("Sigmoid")}
    assert set(others) == {"Linear.out", "Linear.dx", "Linear.dW", "Linear.db", "ReLU.out",
                           "ReLU.dx"}
    assert all(v == {"pass"} for v in others.values())


def test_the_cli_reports_the_sigmoid_error_and_exits_1(submissions, capsys):
    path = submissions / "seeds" / "sigmoid_calls_class.py"
    code = cli.main(["check", str(path), "--oracles", "fd", "--layers", "Sigmoid,ReLU",
                     "--dtype", "float64", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["adapter"] == "classes"
    assert {c["verdict"] for c in report["checks"] if c["layer"] == "ReLU"} == {"pass"}
    sigmoid = [c for c in report["checks"] if c["layer"] == "Sigmoid"]
    assert all("TypeError" in c["message"] for c in sigmoid if c["quantity"] == "dx")
    assert {c["verdict"] for c in sigmoid if c["quantity"] == "out"} == {"pass"}


@pytest.mark.slow
def test_torch_tensor_linear_and_mse_pass_and_a_batch_only_mse_is_caught(submissions):
    pytest.importorskip("torch")
    good = run_check(submissions / "seeds" / "torch_linear_mse.py", ["Linear", "MSELoss"])
    assert good.adapter == "classes"
    assert good.passed, [c.explain() for c in good.checks if not c.passed][:3]
    bad = run_check(submissions / "seeds" / "torch_mse_batch_only.py", ["MSELoss"])
    failed = {c.case for c in bad.checks if c.verdict == "fail"}
    assert failed == {1, 2}
    assert all(c.verdict == "pass" for c in bad.checks if c.case == 0)
