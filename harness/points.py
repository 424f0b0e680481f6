"""Points: exact through grading, rounded only where a person or a script reads them.

A quantity's points are shared over its cases and dtypes (2 points over 3 cases is 2/3
each), so shares are fractions. Kept exact, a perfect submission's total is exactly the
rubric's maximum however the points were split, and a lost share is never hidden by
rounding. ``shown`` writes what a person would (``2.14 / 2.14``, ``52 / 52``); ``number``
is what JSON gets.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from numbers import Real

SHOWN_DIGITS = (2, 3, 4, 5, 6)
"""Decimals tried, fewest first, until the text tells a score apart from the maximum."""
JSON_DIGITS = 6


class Points(Fraction):
    """An exact number of points that formats like a float (``f"{p:g}"``).

    ``Fraction`` learnt float-style formatting only in Python 3.12; callers that print a
    score with a format spec keep working on 3.10 and 3.11.
    """

    def __format__(self, spec: str) -> str:
        return format(float(self), spec)


def exact(value: Real | str) -> Points:
    """``value`` as exact points; a float is read as the decimal it is written as
    (``0.1`` is one tenth, not the binary number nearest to it)."""
    if isinstance(value, float):
        return Points(repr(value))
    return Points(value)


def total(values: Iterable[Real]) -> Points:
    """The exact sum of ``values``."""
    return Points(sum((Fraction(v) for v in values), Fraction(0)))


def shown(value: Real, top: Real | None = None) -> str:
    """``value`` as a person writes it: whole numbers whole, else two decimals, more only
    when fewer would make a score below ``top`` read as ``top`` or a non-zero score as 0."""
    value = exact(value)
    top = None if top is None else exact(top)
    for digits in SHOWN_DIGITS:
        text = _decimal(value, digits)
        if (text == "0") == (value == 0) and (
                top is None or (text == _decimal(top, digits)) == (value == top)):
            return text
    return _decimal(value, SHOWN_DIGITS[-1])


def pair(value: Real, top: Real) -> str:
    """``"points / maximum"``, each as ``shown``: ``"2.14 / 2.14"``, ``"51.99 / 52"``."""
    return f"{shown(value, top)} / {shown(top)}"


def amount(value: Real) -> str:
    """``"1 point"``, ``"2.5 points"``: a number of points in a sentence."""
    text = shown(value)
    return f"{text} point" if text == "1" else f"{text} points"


def number(value: Real, top: Real | None = None) -> float:
    """``value`` for JSON: the nearest number with ``JSON_DIGITS`` decimals, except that a
    score below ``top`` is never rounded up to it (a perfect score is exactly ``top``)."""
    value = exact(value)
    rounded = round(float(value), JSON_DIGITS)
    if top is not None and value < exact(top) and rounded >= float(top):
        return float(value)
    return rounded


def _decimal(value: Fraction, digits: int) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(round(value, digits)):.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
