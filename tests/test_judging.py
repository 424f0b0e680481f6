"""Judging: one verdict per check, each quantity on its own, one severity order and one
way of counting for every report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from harness import engine, grading, isolation, judging, specs
from harness import rubric as rubrics
from harness.expectations import expect
from harness.oracles.fd import FiniteDifferenceOracle
from harness.outcome import Outcome, RunError
from harness.result import ERROR, FAIL, HARNESS_ERROR, MISSING, PASS, SKIP, VERDICTS, Check
from harness.sandbox.limits import Limits
from harness.target import Target
from tests.sandbox.conftest import needs_fork

UNFINISHED = Path(__file__).resolve().parent / "fixtures" / "unfinished"
SIGMOID = specs.CATALOG["Sigmoid"]


def test_severity_puts_what_is_charged_first_and_pass_last():
    assert judging.SEVERITY[: len(judging.CHARGED)] == judging.CHARGED
    assert judging.SEVERITY[-1] == PASS
    assert set(judging.SEVERITY) == set(VERDICTS)
    assert judging.worst([PASS, SKIP, MISSING, ERROR]) == ERROR
    assert judging.worst([]) == PASS


@pytest.mark.parametrize(("verdicts", "expected"), [
    ([PASS, PASS], (PASS, "pass")),
    ([FAIL, PASS, PASS, PASS], (FAIL, "1 / 4 wrong")),
    ([FAIL, ERROR, MISSING, PASS], (FAIL, "3 / 4 wrong")),
    ([MISSING, MISSING], (MISSING, "2 / 2 missing")),
    ([HARNESS_ERROR, PASS], (HARNESS_ERROR, "1 / 2 harness-error")),
])
def test_tally_counts_what_is_not_a_pass(verdicts, expected):
    assert judging.tally(verdicts) == expected


def test_check_and_grade_count_the_same_way():
    """The terminal's check table and the grade's status word a quantity alike."""
    from harness.reports.terminal import _cell

    result = engine.check(Target(str(UNFINISHED / "native.py")), [specs.CATALOG["Linear"]],
                          ["float64"], ["fd"])
    grade = grading.grade(result, rubrics.load().restrict(["Linear"]))
    dx = [t for t in grade.tests if t.quantity == "dx"]
    cell = _cell([c for c in result.checks if c.quantity == "dx"])
    n = sum(len(t.items) for t in dx)
    assert n == len(specs.CATALOG["Linear"].variants)
    assert judging.tally(i.verdict for t in dx for i in t.items) == (ERROR, f"{n} / {n} error")
    assert all(t.status == (ERROR, f"{len(t.items)} / {len(t.items)} error") for t in dx)
    assert f"{n} / {n} error" in cell


def _judged(outcome: Outcome) -> dict[str, set[str]]:
    case = SIGMOID.case(0, "float64")
    expectations = expect([(SIGMOID, case)], [FiniteDifferenceOracle()])
    found: dict[str, set[str]] = {}
    for c in judging.judge(SIGMOID, case, outcome, ["fd"], {}, expectations):
        found.setdefault(c.quantity, set()).add(c.verdict)
    return found


def test_a_gradient_problem_leaves_the_forward_to_its_own_verdict():
    case = SIGMOID.case(0, "float64")
    out = 1 / (1 + np.exp(-case.inputs["x"]))
    unfinished = Outcome.forward_only(out, SIGMOID.wrt, RunError("not-implemented", "todo"))
    raised = Outcome.forward_only(out, SIGMOID.wrt, RunError("exception", "TypeError"))
    assert _judged(unfinished) == {"out": {PASS}, "dx": {MISSING}}
    assert _judged(raised) == {"out": {PASS}, "dx": {ERROR}}
    assert _judged(Outcome(None, error=RunError("exception", "boom"))) == {
        "out": {ERROR}, "dx": {ERROR}}


def _verdicts(result) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for c in result.checks:
        found.setdefault(f"{c.layer}.{c.quantity}", set()).add(c.verdict)
    return found


EXPECTED = {"Linear.out": {PASS}, "Linear.dx": {ERROR}, "Linear.dW": {ERROR},
            "Linear.db": {ERROR}, "Sigmoid.out": {PASS}, "Sigmoid.dx": {MISSING}}


@pytest.mark.parametrize("style", ["native", "cs231n"])
@pytest.mark.parametrize("isolated", [False, pytest.param(True, marks=needs_fork)],
                         ids=["check", "grade-sandboxed"])
def test_a_correct_forward_earns_its_points_when_backward_is_unfinished(style, isolated):
    run = {"executor": isolation.executor("process", Limits(timeout=10.0, memory_mb=1024))
           } if isolated else {}
    layers = specs.select(["Linear", "Sigmoid"])
    result = engine.check(Target(str(UNFINISHED / f"{style}.py")), layers, ["float64"],
                          ["fd"], **run)
    assert result.adapter == style
    assert _verdicts(result) == EXPECTED
    grade = grading.grade(result, rubrics.load().restrict(["Linear", "Sigmoid"]))
    earned = {(t.layer, t.quantity): t.points for t in grade.tests}
    top = {(t.layer, t.quantity): t.max_points for t in grade.tests}
    assert earned[("Sigmoid", "out")] == top[("Sigmoid", "out")] > 0
    assert earned[("Linear", "out")] == top[("Linear", "out")] > 0
    assert earned[("Sigmoid", "dx")] == earned[("Linear", "dW")] == 0


@pytest.mark.parametrize(("verdict", "message", "where"), [
    (MISSING, "not-implemented: Conv2d is not defined in lib/ (conv.py failed to import: x)",
     "lib/ (conv.py failed to import: x)"),
    (MISSING, "not-implemented: Conv2d.backward is not implemented", ""),
    (MISSING, "not-implemented: Linear is not defined in lib/", ""),
    (ERROR, "exception: Conv2d is not defined in lib/", ""),
])
def test_undefined_in_tells_a_layer_never_written_from_a_stub(verdict, message, where):
    check = Check("Conv2d", 0, "float64", "dx", "fd", verdict, message=message)
    assert judging.undefined_in(check) == where
