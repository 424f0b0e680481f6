"""Grades from synthetic results: points per item, partial credit, hidden parts, and
harness errors that are never charged to the student."""

from __future__ import annotations

from fractions import Fraction

import pytest

from harness import rubric
from harness.grading import CRASHED, crashed, grade
from harness.result import ERROR, FAIL, HARNESS_ERROR, MISSING, PASS, SKIP, Check, Result

RUBRIC = rubric.parse("""
    name = "t"
    layers = ["ReLU"]
    dtypes = ["float64"]
    [layer.ReLU]
    out = 1
    dx = 3
    hidden_cases = [2]
""", "t.toml")


def result(verdicts: dict[tuple[str, int], str | tuple[str, ...]]) -> Result:
    """ReLU checks: (quantity, case) -> verdict (or one verdict per oracle)."""
    checks = []
    for quantity in ("out", "dx"):
        for case in range(3):
            found = verdicts.get((quantity, case), PASS)
            for oracle, verdict in zip(("fd", "torch"), (found,) * 2 if isinstance(found, str)
                                       else found, strict=True):
                checks.append(Check("ReLU", case, "float64", quantity, oracle, verdict,
                                    message=f"{verdict} message"))
    return Result("alice.py", "native", checks)


def test_all_passing_gets_full_marks_split_into_visible_and_hidden_tests():
    g = grade(result({}), RUBRIC, "alice.py")
    assert g.points == g.max_points == 4
    assert [(t.name, t.max_points) for t in g.tests] == [
        ("ReLU out", pytest.approx(2 / 3)), ("ReLU out (hidden)", pytest.approx(1 / 3)),
        ("ReLU dx", 2.0), ("ReLU dx (hidden)", 1.0)]
    assert g.flags == ()


@pytest.mark.parametrize("verdict", [FAIL, ERROR, MISSING])
def test_a_charged_item_loses_its_share(verdict):
    g = grade(result({("dx", 1): verdict}), RUBRIC)
    dx = next(t for t in g.tests if t.name == "ReLU dx")
    assert dx.points == 1.0 and not dx.passed
    assert dx.failures[0].verdict == verdict and dx.failures[0].case == 1
    assert g.points == 3.0


def test_one_oracle_failing_charges_the_item():
    g = grade(result({("dx", 0): (PASS, FAIL)}), RUBRIC)
    assert g.points == 3.0


def test_harness_errors_and_skips_are_awarded_and_flagged():
    g = grade(result({("dx", 0): HARNESS_ERROR, ("out", 1): SKIP}), RUBRIC)
    assert g.points == g.max_points
    assert len(g.flags) == 2
    assert any("not charged" in f and "harness-error message" in f for f in g.flags)
    assert any("not judged" in f for f in g.flags)


def test_all_or_nothing():
    strict = rubric.parse("layers = ['ReLU']\n[layer.ReLU]\npartial = 'none'", "t")
    assert grade(result({("dx", 2): FAIL}), strict).points == 1.0


def test_missing_layer_in_result_scores_zero():
    g = grade(Result("bob.py", "native", []), RUBRIC)
    assert g.points == 0 and g.max_points == 4
    assert all(t.failures for t in g.tests)


def test_crashed_submission():
    g = crashed("carol.py", RUBRIC, "timed out after 120 s")
    assert g.status == CRASHED and g.points == 0 and g.max_points == 4
    assert g.reason == "timed out after 120 s" and g.tests == []


def test_problems_list_errors_not_wrong_values():
    g = grade(result({("dx", 0): ERROR, ("dx", 1): FAIL, ("out", 0): MISSING}), RUBRIC)
    assert g.problems == ["missing message", "error message"]


@pytest.mark.parametrize(("verdicts", "status"), [
    ({}, (PASS, "pass")),
    ({("dx", 0): MISSING, ("dx", 1): MISSING}, (MISSING, "2 / 2 missing")),
    ({("dx", 0): MISSING, ("dx", 1): ERROR}, (ERROR, "2 / 2 error")),
    ({("dx", 0): ERROR, ("dx", 1): FAIL}, (FAIL, "2 / 2 wrong")),
    ({("dx", 1): FAIL}, (FAIL, "1 / 2 wrong")),
])
def test_status_names_the_worst_kind_of_failure(verdicts, status):
    dx = next(t for t in grade(result(verdicts), RUBRIC).tests if t.name == "ReLU dx")
    assert dx.status == status


THIRDS = rubric.parse("""
    name = "thirds"
    layers = ["ReLU"]
    dtypes = ["float64"]
    [layer.ReLU]
    points = 20
    out = 1
    dx = 2
    hidden_cases = [2]
""", "thirds.toml")


def test_a_perfect_grade_is_exactly_the_maximum_however_the_points_are_split():
    g = grade(result({}), THIRDS)
    assert [t.max_points for t in g.tests] == [Fraction(40, 9), Fraction(20, 9),
                                              Fraction(80, 9), Fraction(40, 9)]
    assert g.points == g.max_points == 20 and g.perfect
    assert isinstance(g.points, Fraction) and isinstance(g.tests[0].points, Fraction)


def test_a_lost_share_is_never_rounded_away():
    g = grade(result({("out", 2): FAIL}), THIRDS)
    assert g.max_points - g.points == Fraction(20, 9) and not g.perfect


def test_all_or_nothing_judges_visible_and_hidden_parts_on_their_own():
    strict = rubric.parse("layers = ['ReLU']\n[layer.ReLU]\npartial = 'none'\n"
                          "hidden_cases = [2]", "t")
    g = grade(result({("dx", 2): FAIL}), strict)
    dx, hidden = (t for t in g.tests if t.quantity == "dx")
    assert dx.visible and dx.passed and dx.points == dx.max_points
    assert not hidden.visible and hidden.points == 0


def test_the_students_view_keeps_only_visible_tests_and_their_totals():
    g = grade(result({("dx", 2): FAIL, ("dx", 0): FAIL}), RUBRIC)
    view = g.for_students()
    assert [t.name for t in view.tests] == ["ReLU out", "ReLU dx"]
    assert view.points == Fraction(2, 3) + 1 and view.max_points == Fraction(2, 3) + 2
    assert view.withheld == Fraction(1, 3) + 1 and view.flags == ()
    assert g.points == view.points + Fraction(1, 3) and g.max_points == 4  # hidden count


def test_the_students_view_of_a_perfect_grade_is_perfect():
    view = grade(result({}), RUBRIC).for_students()
    assert view.perfect and view.withheld == Fraction(4, 3)


EXCLUDING = rubric.parse(RUBRIC.source + '[default]\nunsupported = "exclude"\n', "t.toml")


def test_unsupported_cases_are_awarded_by_default():
    from harness.result import UNSUPPORTED

    g = grade(result({("dx", 0): UNSUPPORTED, ("dx", 2): UNSUPPORTED}), RUBRIC)
    assert g.points == g.max_points == 4
    assert all("unsupported, not charged" in f for f in g.flags) and len(g.flags) == 2


def test_excluded_unsupported_cases_leave_the_maximum_at_the_same_share_per_case():
    from harness.result import UNSUPPORTED

    g = grade(result({("dx", 0): UNSUPPORTED, ("dx", 2): UNSUPPORTED, ("dx", 1): FAIL}),
              EXCLUDING)
    dx, hidden = (next(t for t in g.tests if t.name == name)
                  for name in ("ReLU dx", "ReLU dx (hidden)"))
    assert (dx.points, dx.max_points, dx.excluded) == (0, 1, 1)
    assert (hidden.points, hidden.max_points, hidden.passed) == (0, 0, True)
    assert (g.points, g.max_points) == (1, 2)
    assert all("excluded from the maximum" in f for f in g.flags)
    students = g.for_students()
    assert (students.points, students.max_points) == (Fraction(2, 3), Fraction(5, 3))


def test_excluded_cases_never_make_all_or_nothing_fail():
    from harness.result import UNSUPPORTED

    strict = rubric.parse('layers = ["ReLU"]\n[default]\nunsupported = "exclude"\n'
                          '[layer.ReLU]\npartial = "none"\n', "t")
    g = grade(result({("dx", 0): UNSUPPORTED}), strict)
    assert g.perfect and g.max_points == Fraction(1) + Fraction(4, 3)
