"""ML-From-Scratch's style (issue #12's corpus), in our own fixture: Keras-like layers
that the network tells their input shape and initializes with an optimizer, kernels as
shape tuples, padding as 'same'/'valid', activation objects with ``gradient(x)``."""

from __future__ import annotations

from pathlib import Path

from harness import engine, grading, isolation, specs
from harness import rubric as rubrics
from harness.result import PASS
from harness.sandbox.limits import Limits
from harness.target import Target
from tests.sandbox.conftest import needs_fork

STYLES = Path(__file__).resolve().parents[1] / "fixtures" / "styles"
LAYERS = ["Linear", "Conv2d", "AvgPool2d", "Sigmoid", "ELU"]
EXPRESSIBLE = "Conv2d-case2"
"""The one case a 'same'/'valid' padding cannot say: padding 1 with a (2, 3) kernel."""


def check(name: str, executor=None):
    run = {"executor": executor} if executor else {}
    return engine.check(Target(str(STYLES / f"{name}.py")), specs.select(LAYERS),
                        ["float64"], ["fd"], **run)


def failing(result) -> set[str]:
    return {f"{c.layer}.{c.quantity}" for c in result.checks
            if c.verdict != PASS and not c.id.startswith(EXPRESSIBLE)}


def test_keras_like_layers_are_all_driven_and_pass():
    result = check("keras_like")
    assert result.adapter == "sgd"
    assert {c.layer for c in result.checks} == set(LAYERS)
    assert failing(result) == set(), [c.explain() for c in result.checks if not c.passed][:3]


def test_a_padding_no_mode_can_say_is_named_with_the_cases_to_run():
    result = check("keras_like")
    inexpressible = [c for c in result.checks if c.id.startswith(EXPRESSIBLE)]
    assert inexpressible and all("'same' or 'valid' only" in c.message for c in inexpressible)


def test_an_input_gradient_through_the_updated_weights_is_caught_there_only():
    assert failing(check("keras_like_buggy")) == {"Linear.dx"}


@needs_fork
def test_sandboxed_check_and_grade_charge_the_same():
    sandbox = isolation.executor("process", Limits(timeout=20.0, memory_mb=1024))
    rubric = rubrics.load().restrict(LAYERS)
    for name in ("keras_like", "keras_like_buggy"):
        inside, outside = check(name), check(name, sandbox)
        assert failing(outside) == failing(inside)
        assert grading.grade(outside, rubric).points == grading.grade(inside, rubric).points


def test_a_loss_object_taking_the_target_first_is_driven_once_declared():
    """``loss(y, y_pred)`` of every element and its derivative: half the mean squared
    error forward, the gradient of half the sum backward, as the hints say."""
    path = str(STYLES / "keras_like.py")
    undeclared = engine.check(Target(path), specs.select(["MSELoss"]), ["float64"], ["fd"])
    assert {c.layer for c in undeclared.checks} == {"MSELoss"}
    hints = " ".join(c.hint for c in undeclared.checks)
    assert "MSELoss.reduction=half-mean" in hints and "MSELoss.loss_grad=half-sse" in hints
    declared = engine.check(Target(path, "sgd:MSELoss.reduction=half-mean,"
                                   "MSELoss.loss_grad=half-sse"),
                            specs.select(["MSELoss"]), ["float64"], ["fd"])
    assert declared.passed, [c.explain() for c in declared.checks if not c.passed][:3]
