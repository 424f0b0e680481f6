"""Points: exact sums, what a person would write, and JSON numbers that never round a
lost share up to the maximum."""

from __future__ import annotations

from fractions import Fraction

import pytest

from harness.points import Points, exact, number, pair, shown, total


def test_shares_sum_to_exactly_the_whole():
    assert total([Fraction(20, 7)] * 7) == 20
    assert sum(round(20 / 7, 6) for _ in range(7)) != 20  # what rounding each share did
    assert exact(0.1) == Fraction(1, 10) and exact(3) == 3 and exact("2.5") == Fraction(5, 2)


@pytest.mark.parametrize(("value", "top", "text"), [
    (52, 52, "52 / 52"),
    (Fraction(15, 7), Fraction(15, 7), "2.14 / 2.14"),
    (Fraction(99, 7), 19, "14.14 / 19"),
    (Fraction(2, 3), 1, "0.67 / 1"),
    (0, Fraction(20, 7), "0 / 2.86"),
    (Fraction(5199, 100), 52, "51.99 / 52"),
    (Fraction(51999, 1000), 52, "51.999 / 52"),
    (52 - Fraction(1, 10**6), 52, "51.999999 / 52"),
    (Fraction(1, 1000), 1, "0.001 / 1"),
    (2.142857, 2.142857, "2.14 / 2.14"),
])
def test_shown_as_a_person_writes_it_never_as_full_marks_when_short(value, top, text):
    assert pair(value, top) == text


def test_json_numbers_are_exact_at_the_maximum_and_never_rounded_up_to_it():
    assert number(total([Fraction(52, 3)] * 3), 52) == 52.0
    assert number(Fraction(15, 7)) == 2.142857
    almost = 52 - Fraction(1, 10**8)
    assert number(almost, 52) < 52 and round(float(almost), 6) == 52


def test_points_format_like_floats():
    assert f"{Points(99, 7):g}" == "14.1429" and shown(Points(4)) == "4"
