"""A loss whose forward takes the target first, ``forward(y_true, y_pred)``, is driven
in that order by every class reader; names that do not say so keep backcheck's order."""

from __future__ import annotations

import pytest
from adapter_checks import run_check, verdicts

from harness.specs.losses import MSE

LOSSES = ["MSELoss", "BCELoss", "CrossEntropy", "SVMLoss"]
FIXTURE = ("classes", "target_first_losses.py")


def test_correct_losses_that_take_the_target_first_pass_with_no_option(submissions):
    result = run_check(submissions.joinpath(*FIXTURE), LOSSES)
    assert result.adapter == "classes"
    assert set(verdicts(result)) == {f"{n}.{q}" for n in LOSSES for q in ("out", "dx")}
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


def test_a_gradient_not_divided_by_n_fails_that_gradient_alone(twin):
    """It fails on every case but one of a single element, where not dividing is right."""
    result = run_check(twin("submissions/classes/target_first_losses_buggy.py"), LOSSES)
    failed = {(c.layer, c.quantity, c.case) for c in result.checks if not c.passed}
    several = [i for i, v in enumerate(MSE.variants) if v["N"] * v["C"] > 1]
    assert several and failed == {("MSELoss", "dx", i) for i in several}


def test_the_sgd_reader_orders_a_loss_the_same_way(submissions):
    result = run_check(submissions.joinpath(*FIXTURE), ["MSELoss", "BCELoss"], adapter="sgd")
    assert result.adapter == "sgd"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


NATIVE = """import numpy as np

class MSELoss:
    def forward(self, y_true, y_pred):
        self.residual = y_pred - y_true
        return np.mean(self.residual ** 2)

    def backward(self, dout=1.0):
        return {"x": dout * 2.0 * self.residual / self.residual.size}
"""


def test_a_native_loss_naming_the_target_first_is_ordered_too(tmp_path):
    path = tmp_path / "native_loss.py"
    path.write_text(NATIVE)
    result = run_check(path, ["MSELoss"])
    assert result.adapter == "native"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


UNTOLD = """import numpy as np

class MSELoss:
    def forward(self, {first}, {second}):
        self.residual = {first} - {second}
        return np.mean(self.residual ** 2)

    def backward(self):
        return 2.0 * self.residual / self.residual.size
"""


@pytest.mark.parametrize("pair", [("a", "b"), ("first", "second"), ("y", "t")])
def test_names_that_do_not_say_target_first_are_called_in_backchecks_order(tmp_path, pair):
    """``forward(y, t)`` too: ``y`` names a target alone, but beside ``t`` the output."""
    path = tmp_path / "untold.py"
    path.write_text(UNTOLD.format(first=pair[0], second=pair[1]))
    found = verdicts(run_check(path, ["MSELoss"], adapter="classes"))
    assert found == {"MSELoss.out": {"pass"}, "MSELoss.dx": {"pass"}}
