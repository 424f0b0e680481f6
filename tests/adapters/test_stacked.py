"""A class whose step has two results, an LSTM cell's ``forward -> (h, c)`` and
``backward(dh, dc) -> (dx, dprev_h, dprev_c)`` with the weight gradients kept on the
object, read by the ``classes`` adapter as the catalog's stacked ``LSTMCell``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from adapter_checks import run_check, verdicts

from harness import diagnosis
from harness.adapters import stacked
from harness.adapters.classes import ClassesAdapter
from harness.loaders import load
from harness.oracles.fd import FiniteDifferenceOracle
from harness.specs import CATALOG

STYLES = Path(__file__).resolve().parents[1] / "fixtures" / "styles"
SPEC = CATALOG["LSTMCell"]


def test_a_cell_returning_h_and_c_and_taking_dh_dc_passes_every_check():
    result = run_check(STYLES / "lstm_tuple.py", ["LSTMCell"])
    assert result.adapter == "classes"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]
    assert {c.quantity for c in result.checks} == set(SPEC.quantities)


def test_its_missing_tanh_derivative_fails_the_gradients_and_not_the_forward(twin):
    found = verdicts(run_check(twin("styles/lstm_tuple_buggy.py"), ["LSTMCell"]))
    assert found.pop("LSTMCell.out") == {"pass"}
    assert all("fail" in v for v in found.values()), found


def test_its_missing_tanh_derivative_is_named(twin):
    runner = ClassesAdapter().runner(load(str(twin("styles/lstm_tuple_buggy.py"))).namespace,
                                     SPEC)
    case = SPEC.cases("float64")[1]
    outcome = runner(case)
    expected = FiniteDifferenceOracle().evaluate(SPEC, case)
    found = diagnosis.find(SPEC, case, "dprev_c", np.asarray(outcome.value("dprev_c")),
                           expected.value("dprev_c"))
    assert found is not None and found.kind == "lstm-cell-tanh-derivative-missing"


def test_only_a_tuple_of_the_right_count_and_shapes_is_stacked():
    h, c = np.zeros((2, 3)), np.ones((2, 3))
    assert stacked.joined(SPEC, (h, c)).shape == (2, 2, 3)
    assert isinstance(stacked.joined(SPEC, (h, c, c)), tuple)
    assert isinstance(stacked.joined(SPEC, (h, np.ones((2, 4)))), tuple)
    pair = (h, c)
    assert stacked.joined(CATALOG["RNNCell"], pair) is pair
