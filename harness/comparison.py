"""Element-wise comparison of an actual array with an expected one.

The result carries everything a failure message needs (counts, extremes, the worst
element and its values); the message itself is only built when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from harness.tolerance import Tolerance


@dataclass(frozen=True)
class Comparison:
    """How ``actual`` measured up to ``expected`` under ``tolerance``.

    ``problem`` is set when the values could not be compared at all (``None``, a
    list, a wrong shape, NaN); the error fields are then ``nan``.
    """

    passed: bool
    tolerance: Tolerance
    max_abs: float = float("nan")
    max_rel: float = float("nan")
    worst_index: tuple[int, ...] | None = None
    worst_expected: float = float("nan")
    worst_actual: float = float("nan")
    mismatched: int = 0
    total: int = 0
    problem: str = ""

    def describe(self) -> str:
        """One short paragraph: counts, extremes, the worst element, the tolerance."""
        if self.problem:
            return self.problem
        index = ", ".join(map(str, self.worst_index or ()))
        verdict = "within tolerance" if self.passed else "mismatch"
        return (
            f"{verdict}: {self.mismatched} / {self.total} elements off; "
            f"worst at [{index}]: expected {self.worst_expected:.6g}, got "
            f"{self.worst_actual:.6g}; max abs error {self.max_abs:.3g}, "
            f"max rel error {self.max_rel:.3g}; tolerance {self.tolerance}"
        )


def compare(actual: object, expected: np.ndarray, tolerance: Tolerance) -> Comparison:
    """Compare ``actual`` (anything the code under test returned) with ``expected``."""
    expected = np.asarray(expected, dtype=np.float64)
    problem = contract_problem(actual, expected.shape)
    if problem:
        return Comparison(False, tolerance, problem=problem, total=expected.size)
    actual = np.asarray(actual, dtype=np.float64).reshape(expected.shape)
    return _elementwise(actual, expected, tolerance)


def contract_problem(actual: object, shape: tuple[int, ...]) -> str:
    """What makes ``actual`` unusable as an array of ``shape``, or ``""``."""
    if actual is None:
        return "returned None instead of an array"
    if not isinstance(actual, np.ndarray | np.generic):
        return f"returned a {type(actual).__name__}, not a NumPy array"
    if not np.issubdtype(actual.dtype, np.floating):
        return f"dtype {actual.dtype}, but should be a floating dtype"
    if actual.shape != shape and not (actual.size == 1 and int(np.prod(shape)) == 1):
        return f"shape {actual.shape}, but should be {shape}"
    if not np.all(np.isfinite(actual)):
        bad = int(np.size(actual) - np.count_nonzero(np.isfinite(actual)))
        return f"contains NaN or inf ({bad} / {actual.size} elements)"
    return ""


def _elementwise(actual: np.ndarray, expected: np.ndarray, tol: Tolerance) -> Comparison:
    error = np.abs(actual - expected)
    scale = float(np.max(np.abs(expected), initial=0.0)) or 1.0
    allowed = tol.atol * scale + tol.rtol * np.abs(expected)
    ratio = error / allowed
    worst = np.unravel_index(int(np.argmax(ratio)), expected.shape) if expected.size else ()
    relative = error / np.maximum(np.abs(expected), tol.atol * scale)
    mismatched = int(np.count_nonzero(error > allowed))
    return Comparison(
        passed=mismatched == 0,
        tolerance=tol,
        max_abs=float(error.max(initial=0.0)),
        max_rel=float(relative.max(initial=0.0)),
        worst_index=tuple(int(i) for i in worst),
        worst_expected=float(expected[worst]) if expected.size else 0.0,
        worst_actual=float(actual[worst]) if expected.size else 0.0,
        mismatched=mismatched,
        total=int(expected.size),
    )
