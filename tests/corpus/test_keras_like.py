"""ML-From-Scratch's style (issue #12's corpus), in our own fixture: Keras-like layers
that the network tells their input shape and initializes with an optimizer, kernels as
shape tuples, padding as 'same'/'valid', activation objects with ``gradient(x)``."""

from __future__ import annotations

from pathlib import Path

from harness import catalog, engine, grading, isolation, selection, specs
from harness import rubric as rubrics
from harness.result import PASS
from harness.sandbox.limits import Limits
from harness.target import Target
from tests.sandbox.conftest import needs_fork

STYLES = Path(__file__).resolve().parents[1] / "fixtures" / "styles"
LAYERS = ["Linear", "Conv2d", "AvgPool2d", "Sigmoid", "ELU"]
EXPRESSIBLE = tuple(selection.parse(text, catalog.specs()) for text in (
    "Conv2d:padding=0", "Conv2d:stride=1,padding=1,kernel=(3, 3)",
    "AvgPool2d:padding!=1"))
"""What a 'same'/'valid' padding can say ('same' at stride 1 only, as libraries differ
beyond), and a pool without padding: declared with ``--cases``, as a user would."""


def check(path: Path, executor=None, cases=EXPRESSIBLE):
    prepared = engine.prepare(specs.select(LAYERS), ["float64"], ["fd"], cases=cases)
    target = Target(str(path))
    return engine.run(target, prepared, **({"executor": executor} if executor else {}))


def failing(result) -> set[str]:
    return {f"{c.layer}.{c.quantity}" for c in result.checks if c.verdict != PASS}


def test_keras_like_layers_are_all_driven_and_pass():
    result = check(STYLES / "keras_like.py")
    assert result.adapter == "sgd"
    assert {c.layer for c in result.checks} == set(LAYERS)
    assert failing(result) == set(), [c.explain() for c in result.checks if not c.passed][:3]


def test_a_padding_no_mode_can_say_is_named_with_the_cases_to_run():
    result = check(STYLES / "keras_like.py", cases=())
    refused = [c for c in result.checks if c.layer == "Conv2d" and c.verdict != PASS]
    modes = [c for c in refused if "'same' or 'valid' only" in c.message]
    per_axis = [c for c in refused if "one padding for every axis" in c.message]
    assert modes and per_axis and len(modes) + len(per_axis) == len(refused)
    assert all("--cases 'Conv2d:padding=0'" in c.message for c in modes)
    assert all("--cases 'Conv2d:stride!=(2, 1),stride!=(1, 2)'" in c.message for c in per_axis)


def test_an_input_gradient_through_the_updated_weights_is_caught_there_only(twin):
    assert failing(check(twin("styles/keras_like_buggy.py"))) == {"Linear.dx"}


@needs_fork
def test_sandboxed_check_and_grade_charge_the_same(twin):
    sandbox = isolation.executor("process", Limits(timeout=20.0, memory_mb=1024))
    rubric = rubrics.load().restrict(LAYERS)
    for path in (STYLES / "keras_like.py", twin("styles/keras_like_buggy.py")):
        inside, outside = check(path), check(path, sandbox)
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
