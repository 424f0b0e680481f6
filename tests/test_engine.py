"""The engine's verdicts, from fake oracles and fake executions (no frameworks)."""

from __future__ import annotations

import numpy as np
import pytest

from harness import engine, judging
from harness.execution import Execution
from harness.expectations import expect
from harness.oracles.fd import FiniteDifferenceOracle
from harness.outcome import Outcome, RunError
from harness.result import ERROR, FAIL, HARNESS_ERROR, MISSING, PASS, SKIP, UNSUPPORTED
from harness.specs import CATALOG
from harness.target import Target

LINEAR = CATALOG["Linear"]


class ShiftedOracle(FiniteDifferenceOracle):
    """The fd oracle with every dW off by 1: a broken oracle to disagree with."""

    name = "shifted"

    def evaluate(self, spec, case):
        good = super().evaluate(spec, case)
        return Outcome(good.output, {**good.grads, "W": good.grads["W"] + 1.0})


def reference_outcome(case) -> Outcome:
    layer = LINEAR.reference_class()(**case.params)
    out = layer.forward(case.inputs["x"])
    return Outcome(out, layer.backward(case.upstream))


def verdicts(outcome_for, oracles=None, skipped=None) -> dict[tuple[str, str], set[str]]:
    case = LINEAR.case(1, "float64")
    oracles = oracles or [FiniteDifferenceOracle()]
    expectations = expect([(LINEAR, case)], oracles)
    checks = judging.judge(LINEAR, case, outcome_for(case), [o.name for o in oracles],
                          skipped or {}, expectations)
    found: dict[tuple[str, str], set[str]] = {}
    for c in checks:
        found.setdefault((c.quantity, c.oracle), set()).add(c.verdict)
    return found


def test_reference_passes_every_quantity():
    found = verdicts(reference_outcome)
    assert found == {(q, "fd"): {PASS} for q in ("out", "dx", "dW", "db")}


def test_transposed_dw_fails_only_dw_and_is_diagnosed():
    def transposed(case):
        good = reference_outcome(case)
        return Outcome(good.output, {**good.grads, "W": good.grads["W"].T.copy()})

    case = LINEAR.case(1, "float64")
    expectations = expect([(LINEAR, case)], [FiniteDifferenceOracle()])
    checks = judging.judge(LINEAR, case, transposed(case), ["fd"], {}, expectations)
    failed = [c for c in checks if c.verdict != PASS]
    assert [c.quantity for c in failed] == ["dW"]
    assert "transpose" in failed[0].hint
    assert "transpose" in failed[0].explain()


def test_missing_layer_is_missing_not_failed():
    error = RunError("not-implemented", "Linear is not defined in alice.py")
    found = verdicts(lambda case: Outcome(None, error=error))
    assert set().union(*found.values()) == {MISSING}


def test_exception_is_an_error_with_its_message():
    error = RunError("exception", "Linear.backward raised ValueError: boom", "alice.py:7")
    case = LINEAR.case(0, "float64")
    expectations = expect([(LINEAR, case)], [FiniteDifferenceOracle()])
    checks = judging.judge(LINEAR, case, Outcome(None, error=error), ["fd"], {}, expectations)
    assert {c.verdict for c in checks} == {ERROR}
    assert "alice.py:7" in checks[0].explain()


def test_a_bad_gradient_fails_only_its_own_quantity():
    def no_bias(case):
        good = reference_outcome(case)
        grads = {k: v for k, v in good.grads.items() if k != "b"}
        return Outcome(good.output, grads, problems={"b": RunError("bad-return", "no 'b'")})

    found = verdicts(no_bias)
    assert found[("db", "fd")] == {ERROR}
    assert found[("dW", "fd")] == {PASS}


def test_oracles_that_disagree_are_a_harness_error_for_everyone():
    found = verdicts(reference_outcome, [FiniteDifferenceOracle(), ShiftedOracle()])
    assert set().union(*found.values()) == {HARNESS_ERROR}


def test_unavailable_oracle_is_skipped_with_its_reason():
    case = LINEAR.case(0, "float64")
    expectations = expect([(LINEAR, case)], [FiniteDifferenceOracle()])
    checks = judging.judge(LINEAR, case, reference_outcome(case), ["fd"],
                          {"torch": "PyTorch is not installed"}, expectations)
    skips = [c for c in checks if c.verdict == SKIP]
    assert {c.quantity for c in skips} == {"out", "dx", "dW", "db"}
    assert all(c.message == "PyTorch is not installed" for c in skips)


def test_check_wires_cases_executor_and_oracles_together():
    def executor(target, jobs):
        return Execution({case.id: reference_outcome(case) for _, case in jobs}, "fake")

    result = engine.check(Target("fake"), [LINEAR], ["float32", "float64"], ["fd"],
                          executor=executor)
    assert result.passed
    assert result.adapter == "fake"
    assert len(result.checks) == 2 * len(LINEAR.variants) * 4


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_reference_in_either_dtype_passes_against_float64_expectations(dtype):
    case = LINEAR.case(2, dtype)
    outcome = reference_outcome(case)
    assert outcome.grads["W"].dtype == np.dtype(dtype)
    expectations = expect([(LINEAR, case)], [FiniteDifferenceOracle()])
    checks = judging.judge(LINEAR, case, outcome, ["fd"], {}, expectations)
    assert {c.verdict for c in checks} == {PASS}


def _pool_verdicts(adapter: str, target: Target,
                   outcome: Outcome | None = None) -> dict[int, set[str]]:
    """Case index -> verdicts of MaxPool2d when every outcome is ``outcome`` (by default a
    wrong one) and the run reports ``adapter`` as the one detection chose."""
    pool = CATALOG["MaxPool2d"]
    given = outcome or Outcome(np.zeros(1), {"x": np.zeros(1)})

    def executor(_, jobs):
        return Execution({case.id: given for _, case in jobs}, adapter)

    result = engine.check(target, [pool], ["float64"], ["fd"], executor=executor)
    found: dict[int, set[str]] = {}
    for c in result.checks:
        found.setdefault(c.case, set()).add(c.verdict)
    return found


def test_a_detected_cs231n_file_is_not_charged_for_padding_its_pool_param_lacks():
    found = _pool_verdicts("cs231n", Target("fake"))
    padded = {i for i, v in enumerate(CATALOG["MaxPool2d"].variants) if v.get("padding")}
    assert padded and {i for i, v in found.items() if v == {UNSUPPORTED}} == padded
    assert all(FAIL in v for i, v in found.items() if i not in padded)


@pytest.mark.parametrize(("reported", "target"), [
    ("native", Target("fake")),
    ("not-an-adapter", Target("fake")),
    ("cs231n", Target("fake", adapter="native")),
])
def test_only_a_registered_adapter_detection_chose_declines_cases(reported, target):
    assert UNSUPPORTED not in set().union(*_pool_verdicts(reported, target).values())


def test_a_missing_layer_stays_missing_in_the_cases_its_style_cannot_express():
    missing = Outcome(None, error=RunError("not-implemented", "MaxPool2d is not defined"))
    found = _pool_verdicts("cs231n", Target("fake"), missing)
    assert set().union(*found.values()) == {MISSING}
