"""Element-wise comparison: verdicts, the worst element, and contract problems."""

from __future__ import annotations

import numpy as np
import pytest

from harness.comparison import compare, contract_problem
from harness.tolerance import BY_DTYPE

F32 = BY_DTYPE["float32"]
F64 = BY_DTYPE["float64"]


def test_equal_arrays_pass_with_zero_error():
    expected = np.arange(6.0).reshape(2, 3)
    result = compare(expected.copy(), expected, F64)
    assert result.passed
    assert result.max_abs == 0.0
    assert result.mismatched == 0


def test_one_wrong_element_is_located():
    expected = np.arange(1.0, 7.0).reshape(2, 3)
    actual = expected.copy()
    actual[1, 2] += 0.5
    result = compare(actual, expected, F64)
    assert not result.passed
    assert result.worst_index == (1, 2)
    assert result.mismatched == 1
    assert result.worst_expected == 6.0 and result.worst_actual == 6.5
    assert result.max_rel == pytest.approx(0.5 / 6.0)


def test_float32_rounding_passes_but_float64_tolerance_does_not():
    rng = np.random.default_rng(0)
    expected = rng.standard_normal((5, 4))
    actual = expected.astype(np.float32)
    assert compare(actual, expected, F32).passed
    noisy = expected * (1 + 1e-5)
    assert not compare(noisy, expected, F64).passed


def test_small_gradients_are_judged_relative_to_their_own_scale():
    expected = np.full((3,), 1e-4)
    wrong = expected * 2
    assert not compare(wrong, expected, F32).passed


def test_description_names_counts_worst_element_and_tolerance():
    expected = np.ones((2, 2))
    actual = expected.copy()
    actual[0, 1] = 3.0
    text = compare(actual, expected, F32).describe()
    assert "1 / 4 elements off" in text
    assert "[0, 1]" in text
    assert "expected 1, got 3" in text
    assert "rtol=0.001" in text


@pytest.mark.parametrize(
    ("actual", "fragment"),
    [
        (None, "returned None"),
        ([1.0, 2.0], "returned a list"),
        (np.array([1, 2]), "dtype int64"),
        (np.ones((2, 1)), "shape (2, 1), but should be (2,)"),
        (np.array([np.nan, 1.0]), "contains NaN or inf (1 / 2"),
        (np.array([np.inf, 1.0]), "NaN or inf"),
    ],
)
def test_unusable_values_are_problems_not_crashes(actual, fragment):
    result = compare(actual, np.ones(2), F64)
    assert not result.passed
    assert fragment in result.problem
    assert fragment in result.describe()


def test_a_scalar_matches_a_one_element_array():
    assert contract_problem(np.float64(2.0), (1,)) == ""
    assert compare(np.array(2.0), np.array([2.0]), F64).passed


def test_float64_result_for_a_float32_case_is_accepted():
    """NumPy promotes float32 * float64 arrays; correct values must still pass."""
    expected = np.linspace(-1, 1, 5)
    assert compare(expected.astype(np.float64), expected.astype(np.float32), F32).passed
