"""Grades: a ``Result`` weighed by a ``Rubric``, as plain data every report renders.

The unit of credit is an *item*: one quantity of one layer on one case in one dtype,
judged by every oracle. Its verdict is the worst its oracles gave (``judging.SEVERITY``);
it is charged when that is ``fail``, ``error`` or ``missing``. A ``harness-error`` (the
oracles disagree) or an item no oracle could judge is never charged to the student:
the points are awarded and the item is flagged for the instructor. Items are grouped
into *tests* (a layer's quantity, split into its visible and hidden parts), which is
what Gradescope, JUnit and the gradebook list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from harness import judging
from harness.judging import CHARGED, tally
from harness.result import ERROR, HARNESS_ERROR, MISSING, PASS, SKIP, Check, Result
from harness.rubric import LayerRule, Rubric

DIGITS = 6
"""Points are rounded to this many decimals, so sums print the same everywhere."""

GRADED = "graded"
CRASHED = "crashed"
"""``Grade.status``: graded normally, or no result at all (``reason`` says why)."""


@dataclass(frozen=True)
class Item:
    """One quantity on one case in one dtype: its verdict and the worst check's text."""

    case: int
    dtype: str
    verdict: str
    passed: bool
    flag: str = ""
    check: Check | None = None

    @property
    def detail(self) -> str:
        return self.check.explain() if self.check is not None else ""


@dataclass(frozen=True)
class Test:
    """A layer's quantity (its visible or its hidden part) with its points."""

    layer: str
    quantity: str
    visible: bool
    points: float
    max_points: float
    items: tuple[Item, ...]

    @property
    def name(self) -> str:
        return f"{self.layer} {self.quantity}" + ("" if self.visible else " (hidden)")

    @property
    def passed(self) -> bool:
        return all(item.passed for item in self.items)

    @property
    def failures(self) -> list[Item]:
        return [item for item in self.items if not item.passed]

    @property
    def flags(self) -> list[str]:
        return [item.flag for item in self.items if item.flag]

    @property
    def status(self) -> tuple[str, str]:
        """(worst verdict, short label): ``("pass", "pass")``, ``("fail", "6 / 8 wrong")``,
        ``("missing", "6 / 6 missing")``; the same words in every report (``tally``),
        an item not charged counting as a pass."""
        return tally(PASS if item.passed else item.verdict for item in self.items)


@dataclass(frozen=True)
class LayerGrade:
    """One layer's tests and their total."""

    layer: str
    tests: tuple[Test, ...]

    @property
    def points(self) -> float:
        return round(sum(t.points for t in self.tests), DIGITS)

    @property
    def max_points(self) -> float:
        return round(sum(t.max_points for t in self.tests), DIGITS)


@dataclass(frozen=True)
class Grade:
    """A submission's grade: layers, total, and what the instructor should look at."""

    submission: str
    rubric: str
    layers: tuple[LayerGrade, ...]
    max_points: float
    status: str = GRADED
    reason: str = ""
    result: Result | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def points(self) -> float:
        return round(sum(layer.points for layer in self.layers), DIGITS)

    @property
    def tests(self) -> list[Test]:
        return [test for layer in self.layers for test in layer.tests]

    @property
    def problems(self) -> list[str]:
        """Distinct reasons the code could not be judged (raised, missing, timed out),
        load notes first: what a gradebook shows next to a low score."""
        notes = list(self.result.notes) if self.result is not None else []
        errors = [i.check.message for t in self.tests for i in t.failures
                  if i.verdict in (ERROR, MISSING) and i.check is not None]
        return list(dict.fromkeys(notes + errors))

    @property
    def seconds(self) -> float:
        return self.result.seconds if self.result is not None else 0.0


def grade(result: Result, rubric: Rubric, submission: str = "") -> Grade:
    """Weigh every check of ``result`` with ``rubric``."""
    by_item: dict[tuple[str, str, int, str], list[Check]] = defaultdict(list)
    for check in result.checks:
        by_item[(check.layer, check.quantity, check.case, check.dtype)].append(check)
    layers = tuple(_layer(rule, by_item) for rule in rubric.rules.values())
    flags = tuple(f"{t.name}: {flag}" for layer in layers for t in layer.tests
                  for flag in dict.fromkeys(t.flags))
    return Grade(submission or result.target, rubric.name, layers, rubric.max_points,
                 result=result, flags=flags)


def crashed(submission: str, rubric: Rubric, reason: str) -> Grade:
    """A zero grade for a submission that produced no result at all."""
    return Grade(submission, rubric.name, (), rubric.max_points, CRASHED, reason,
                 flags=(f"not graded: {reason}",))


def _layer(rule: LayerRule, by_item: dict) -> LayerGrade:
    keys = [k for k in by_item if k[0] == rule.layer]
    tests = []
    for quantity, points in rule.points.items():
        items = [_item(case, dtype, by_item[(rule.layer, quantity, case, dtype)])
                 for (_, q, case, dtype) in keys if q == quantity]
        if not items:
            items = [Item(0, "", MISSING, False, check=None)]
        tests += _tests(rule, quantity, points, items)
    return LayerGrade(rule.layer, tuple(tests))


def _tests(rule: LayerRule, quantity: str, points: float, items: list[Item]) -> list[Test]:
    """The visible and the hidden part of one quantity, each with its share of points."""
    share = points / len(items)
    parts = []
    for visible in (True, False):
        mine = tuple(i for i in items if rule.visible(quantity, i.case) == visible)
        if not mine:
            continue
        top = share * len(mine)
        if rule.partial == "case":
            earned = share * sum(i.passed for i in mine)
        else:
            earned = top if all(i.passed for i in items) else 0.0
        parts.append(Test(rule.layer, quantity, visible, round(earned, DIGITS),
                          round(top, DIGITS), mine))
    return parts


def _item(case: int, dtype: str, checks: list[Check]) -> Item:
    verdict = judging.worst(c.verdict for c in checks)
    same = [c for c in checks if c.verdict == verdict]
    worst = max(same, key=_error) if verdict == PASS else same[0]
    if verdict in CHARGED:
        return Item(case, dtype, verdict, False, check=worst)
    flag = ""
    if verdict == HARNESS_ERROR:
        flag = f"case {case} {dtype} not charged: {worst.message}"
    elif verdict == SKIP:
        flag = f"case {case} {dtype} not judged: {worst.message}"
    return Item(case, dtype, verdict, True, flag, worst)


def _error(check: Check) -> float:
    """The relative error of a passing check (0 when it has no comparison)."""
    if check.comparison is None or check.comparison.max_rel != check.comparison.max_rel:
        return 0.0
    return check.comparison.max_rel
