"""``Layer.class=Name``: a library class whose own name says another layer (a
``CrossEntropy`` that is a binary cross-entropy of probabilities, as ML-From-Scratch's)
is graded as the layer declared, in process and in the sandbox, and is no longer taken
for the layer its name suggests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from adapter_checks import run_check

from harness import adapters, engine, isolation, specs
from harness.errors import UsageError
from harness.sandbox.limits import Limits
from harness.target import Target

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "options"
CORRECT = FIXTURES / "misnamed_bce.py"
OPTION = "classes:BCELoss.class=CrossEntropy"
F64 = ("float64",)


@pytest.fixture
def buggy(tmp_path):
    """The fixture with its gradient not averaged over the elements."""
    path = tmp_path / "misnamed_bce_buggy.py"
    path.write_text(CORRECT.read_text().replace("return grad * slope / self.prob.size",
                                                "return grad * slope"))
    return path


def layers_checked(result) -> set[str]:
    """The layers found and run (not reported missing)."""
    return {c.layer for c in result.checks if c.verdict != "missing"}


def test_the_named_class_is_graded_as_the_declared_layer_only():
    result = run_check(CORRECT, ["BCELoss", "CrossEntropy", "Tanh"], OPTION, dtypes=F64)
    assert layers_checked(result) == {"BCELoss", "Tanh"}
    failed = [c.explain() for c in result.checks if not c.passed and c.verdict != "missing"]
    assert not failed, failed[:2]


def test_without_the_option_the_class_is_taken_for_its_name_and_fails():
    result = run_check(CORRECT, ["BCELoss", "CrossEntropy"], "classes", dtypes=F64)
    assert layers_checked(result) == {"CrossEntropy"}
    assert not result.passed


def test_the_one_bug_twin_fails_as_bce(buggy):
    result = run_check(buggy, ["BCELoss"], OPTION, dtypes=F64)
    verdicts = {(c.quantity, c.verdict) for c in result.checks}
    assert ("out", "pass") in verdicts and not result.passed


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")
@pytest.mark.parametrize("spec", [OPTION, "sgd:BCELoss.class=CrossEntropy"])
def test_the_sandboxed_check_agrees(spec, buggy):
    sandbox = isolation.executor("process", Limits(timeout=20.0, memory_mb=1024))
    grade = [engine.check(Target(str(path), spec), specs.select(["BCELoss", "CrossEntropy"]),
                          list(F64), ["fd"], executor=sandbox) for path in (CORRECT, buggy)]
    assert [layers_checked(r) for r in grade] == [{"BCELoss"}, {"BCELoss"}]
    assert [all(c.passed for c in r.checks if c.layer == "BCELoss") for r in grade] == [
        True, False]


def test_a_class_the_library_lacks_is_a_usage_error_naming_layer_key_and_classes():
    with pytest.raises(UsageError) as error:
        run_check(CORRECT, ["BCELoss"], "classes:BCELoss.class=BinaryCE", dtypes=F64)
    text = f"{error.value} {error.value.hint}"
    assert "BCELoss.class=BinaryCE" in text and "CrossEntropy, Tanh" in text
    assert "\n" not in text


def test_a_class_declared_for_the_whole_library_is_a_usage_error():
    with pytest.raises(UsageError, match="names the class of one layer"):
        adapters.load("sgd:class=CrossEntropy")


def test_an_adapter_that_reads_no_classes_refuses_the_option():
    with pytest.raises(UsageError, match=r"does not read option BCELoss\.class_name"):
        adapters.load("cs231n:BCELoss.class=CrossEntropy")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")
def test_in_the_sandbox_a_class_the_library_lacks_fails_every_check_with_the_same_words():
    """A sandboxed child's refusal is never trusted as the parent's usage error (a
    submission could forge one): every check fails with its message instead."""
    sandbox = isolation.executor("process", Limits(timeout=20.0, memory_mb=1024))
    result = engine.check(Target(str(CORRECT), "classes:BCELoss.class=BinaryCE"),
                          specs.select(["BCELoss"]), list(F64), ["fd"], executor=sandbox)
    assert result.checks and not any(c.passed for c in result.checks)
    assert all("BCELoss.class=BinaryCE" in c.message and "CrossEntropy, Tanh" in c.message
               for c in result.checks)
