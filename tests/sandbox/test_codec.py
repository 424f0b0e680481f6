"""Outcomes across the wire: judged the same after the trip as before it."""

from __future__ import annotations

import numpy as np
import pytest

from harness.comparison import contract_problem
from harness.outcome import Outcome, RunError
from harness.sandbox import codec, wire
from harness.specs import CATALOG

LINEAR = CATALOG["Linear"]


def trip(outcome: Outcome) -> Outcome:
    header, arrays = codec.pack_outcome("Linear-case0-float64", outcome)
    (frame,) = wire.Reader().feed(wire.encode(header, arrays))
    return codec.unpack_outcome(frame.header, frame.arrays, LINEAR)


class Odd:
    """Something that is not an array at all."""


VALUES = [None, np.ones((2, 3)), np.float64(1.5), np.float32(np.nan), 2.5, float("inf"), 7,
          [1.0, 2.0], (1.0, 2.0), [np.ones(2), None], "text", Odd(), {"a": 1},
          np.array(["a"]), np.array([object()], dtype=object), np.ones(3, dtype=np.int64),
          np.array([1 + 1j]), np.zeros((0, 3)), np.full((2, 3), np.inf),
          np.ones((4, 1)).T, np.bool_(True)]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_compare_sees_the_same_problem_after_the_trip(value):
    got = trip(Outcome(value, {"W": value}))
    for sent, arrived in ((value, got.output), (value, got.grads["W"])):
        assert contract_problem(arrived, (2, 3)) == contract_problem(sent, (2, 3))
        assert type(arrived).__name__ == type(sent).__name__


def test_arrays_keep_their_values():
    grads = {"x": np.arange(6.0).reshape(2, 3), "W": np.eye(3, dtype=np.float32)}
    got = trip(Outcome(np.ones(2), grads))
    for name, array in grads.items():
        np.testing.assert_array_equal(got.grads[name], array)
        assert got.grads[name].dtype == array.dtype


def test_errors_and_problems_travel_and_unknown_kinds_are_demoted():
    outcome = Outcome(None, error=RunError("pass", "I passed, honest", "a.py:3"),
                      problems={"W": RunError("bad-return", "no W"), "zzz": RunError("x", "y")})
    got = trip(outcome)
    assert got.error == RunError("exception", "I passed, honest", "a.py:3")
    assert got.problems == {"W": RunError("bad-return", "no W")}


def test_gradients_the_spec_does_not_know_are_dropped():
    got = trip(Outcome(np.ones(2), {"x": np.ones(2), "secret": np.ones(2)}))
    assert set(got.grads) == {"x"}


def test_long_text_is_capped():
    got = trip(Outcome(None, error=RunError("exception", "x" * 10**6)))
    assert len(got.error.message) == codec.MAX_TEXT


def test_deep_nesting_becomes_opaque_not_a_crash():
    value: list = []
    for _ in range(100):
        value = [value]
    got = trip(Outcome(value))
    assert isinstance(got.output, list)


@pytest.mark.parametrize("node", [{"$a": 5}, {"$s": 0}, {"$zz": 1}, {"$a": 0, "$s": 0}, [1],
                                  {"$a": True}])
def test_malformed_values_are_refused(node):
    with pytest.raises(wire.WireError):
        codec.unpack(node, [np.ones(3)])


def test_dtype_names_are_never_evaluated():
    assert codec.unpack({"$dtype": "[('a', 'O')]"}, []).dtype == np.dtype(object)
    assert codec.unpack({"$dtype": "<U3"}, []).dtype == np.dtype("<U3")


def test_a_huge_list_travels_opaque_within_the_budget():
    got = trip(Outcome([0.5] * (codec.MAX_ITEMS + 1), {"W": [1.0] * 10}))
    assert type(got.output).__name__ == "list" and not isinstance(got.output, list)
    assert got.grads["W"] == [1.0] * 10


def test_a_list_of_many_arrays_stays_under_the_array_limit():
    got = trip(Outcome([np.ones(1)] * (wire.MAX_ARRAYS + 5)))
    assert len(got.output) == wire.MAX_ARRAYS + 5


def test_a_forged_outcome_of_too_many_values_is_refused():
    header = {"output": {"$l": [0] * (codec.MAX_NODES + 1)}, "grads": {}, "problems": {}}
    with pytest.raises(wire.WireError, match="more than"):
        codec.unpack_outcome(header, [], LINEAR)


def test_a_forged_outcome_with_a_flood_of_gradients_is_refused():
    header = {"output": None, "grads": {f"g{i}": None for i in range(100)}, "problems": {}}
    with pytest.raises(wire.WireError, match="more gradients"):
        codec.unpack_outcome(header, [], LINEAR)
