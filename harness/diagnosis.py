"""Naming the likely mistake behind a wrong gradient, with the evidence.

Each rule looks at the expected and actual arrays (and the case) and either names a
mistake in plain words or stays silent: no hint is better than a wrong hint.
"""

from __future__ import annotations

import numpy as np

from harness.case import Case
from harness.spec import Spec

SCALES = {
    2.0: "twice", 0.5: "half", -1.0: "the negative of",
}


def diagnose(spec: Spec, case: Case, quantity: str, actual: object,
             expected: np.ndarray) -> str:
    """A one-sentence hint for a failed ``quantity``, or ``""`` when unsure."""
    if not isinstance(actual, np.ndarray) or actual.dtype.kind != "f":
        return ""
    expected = np.asarray(expected, dtype=np.float64)
    actual = actual.astype(np.float64)
    for rule in (_transposed, _scaled):
        hint = rule(quantity, actual, expected, case)
        if hint:
            return hint
    return ""


def _transposed(quantity, actual, expected, case) -> str:
    if expected.ndim != 2 or expected.shape[0] == expected.shape[1]:
        return ""
    if actual.shape == expected.T.shape and _close(actual, expected.T):
        return f"your {quantity} is the transpose of the expected one (shape {actual.shape})."
    return ""


def _scaled(quantity, actual, expected, case) -> str:
    if actual.shape != expected.shape:
        return ""
    batch = _batch(case)
    factors = {**SCALES, float(batch): f"{batch} (the batch size) times",
               1.0 / batch: f"1/{batch} (one over the batch size) times"}
    for factor, words in factors.items():
        if factor != 1.0 and _close(actual, factor * expected):
            return f"your {quantity} is {words} the expected one."
    return ""


def _batch(case: Case) -> int:
    x = case.inputs.get("x")
    return int(x.shape[0]) if x is not None and x.ndim else 1


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    scale = max(float(np.max(np.abs(b), initial=0.0)), 1e-12)
    return bool(np.allclose(a, b, rtol=1e-3, atol=1e-4 * scale))
