"""Each mistake the diagnosis knows, planted in a reference layer, is named; correct
layers and unexplained errors get no hint."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from harness import diagnosis, engine, judging
from harness.adapters import probes
from harness.adapters.native import run_layer
from harness.execution import Execution
from harness.oracles.fd import FiniteDifferenceOracle
from harness.result import FAIL, PASS
from harness.specs import CATALOG
from harness.target import Target

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "diagnosis" / "planted.py"


def _planted():
    spec = importlib.util.spec_from_file_location("planted_mistakes", FIXTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PLANTED = _planted().PLANTED
CHARGED = [p for p in PLANTED if p[3] not in judging.ADVISORY]
ADVICE = [p for p in PLANTED if p[3] in judging.ADVISORY]
SAME_EVIDENCE = {"bias-not-reduced": {"broadcast-shape"}, "broadcast-shape": {"bias-not-reduced"}}
"""With a batch of 1, an unsummed bias gradient is dout with an extra axis: both names fit."""


def run(layer: str, cls: type, dtypes=("float64",)):
    """Check ``cls`` as ``layer`` with the fd oracle; the result and its outcomes."""
    spec = CATALOG[layer]
    seen = {}

    def executor(target, jobs):
        seen.update({case.id: probes.observe(lambda c, s=s: run_layer(cls, s, c), s, case)
                     for s, case in jobs})
        return Execution(dict(seen), "native")

    result = engine.check(Target(cls.__name__), [spec], list(dtypes), ["fd"],
                          executor=executor)
    return result, seen


@pytest.mark.parametrize(("layer", "cls", "quantity", "kind"), ADVICE,
                         ids=[f"{p[1].__name__}-{p[3]}" for p in ADVICE])
def test_advisory_mistake_is_named_but_not_charged(layer, cls, quantity, kind):
    """Any slope in [0, 1] at exactly 0 is a valid subgradient: advice, never a failure."""
    result, _ = run(layer, cls, ["float32", "float64"])
    assert result.passed
    hints = {c.hint for c in result.checks if c.quantity == quantity}
    assert any(h.startswith("advice, not charged:") and "exactly 0" in h for h in hints)


@pytest.mark.parametrize(("layer", "cls", "quantity", "kind"), CHARGED,
                         ids=[f"{p[1].__name__}-{p[3]}" for p in CHARGED])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_planted_mistake_is_named(layer, cls, quantity, kind, dtype):
    result, outcomes = run(layer, cls, [dtype])
    failed = [c for c in result.checks if c.quantity == quantity and c.verdict == FAIL]
    assert failed, f"{cls.__name__} was not caught on {quantity}"
    spec = CATALOG[layer]
    named = []
    for check in failed:
        case = spec.case(check.case, dtype)
        outcome = outcomes[case.id]
        expected = FiniteDifferenceOracle().evaluate(spec, case).value(quantity)
        found = (diagnosis.find(spec, case, quantity, outcome.value(quantity), expected)
                 or diagnosis.violation(spec, case, quantity,
                                        {**outcome.observations, "single": outcome.grads}))
        assert found is not None, check.explain()
        assert check.hint == str(found)
        named.append(found.kind)
    assert kind in named
    assert set(named) <= {kind} | SAME_EVIDENCE.get(kind, set())


def test_every_kind_is_planted():
    assert {p[3] for p in PLANTED} == set(diagnosis.KINDS)


@pytest.mark.parametrize("layer", ["Linear", "ReLU", "LeakyReLU", "Sigmoid", "Tanh",
                                   "Softmax", "MSELoss", "BCELoss", "CrossEntropy",
                                   "LayerNorm", "Dropout", "Flatten"])
def test_correct_layer_gets_no_hint(layer):
    result, outcomes = run(layer, CATALOG[layer].reference_class(), ["float32", "float64"])
    assert {c.verdict for c in result.checks} == {PASS}
    assert not any(c.hint for c in result.checks)
    changed = (probes.CHANGED_BY_FORWARD, probes.CHANGED_BY_BACKWARD)
    assert all(k not in o.observations for o in outcomes.values() for k in changed)


def test_hint_gives_expected_found_worst_element_and_relative_error():
    _, cls, quantity, _ = next(p for p in PLANTED if p[1].__name__ == "TimesBatch")
    result, _ = run("Linear", cls)
    hint = next(c.hint for c in result.checks if c.verdict == FAIL and c.quantity == quantity)
    assert "scaled by 4 (the batch size)" in hint
    for words in ("expected", "found", "worst element [", "rel error"):
        assert words in hint


@pytest.mark.parametrize("seed", range(5))
def test_unexplained_error_gets_no_hint(seed):
    spec = CATALOG["Linear"]
    case = spec.case(1, "float64")
    expected = FiniteDifferenceOracle().evaluate(spec, case).value("dW")
    noise = np.random.default_rng(seed).standard_normal(expected.shape)
    assert diagnosis.find(spec, case, "dW", expected + noise, expected) is None
    assert diagnosis.diagnose(spec, case, "dW", expected + noise, expected) == ""


def test_not_an_array_gets_no_hint():
    spec = CATALOG["Linear"]
    case = spec.case(1, "float64")
    assert diagnosis.diagnose(spec, case, "dW", [[1.0]], np.ones((5, 3))) == ""
    assert diagnosis.diagnose(spec, case, "dW", None, np.ones((5, 3))) == ""


def test_stale_probe_is_silent_when_the_decoy_equals_the_case():
    spec = CATALOG["Linear"]
    case = spec.case(0, "float64")
    same = {"x": np.ones(3)}
    seen = {probes.SECOND_FORWARD: same, probes.FIRST_ONLY: same, "single": same}
    assert diagnosis.violation(spec, case, "dx", seen) is None
