"""Grades: a ``Result`` weighed by a ``Rubric``, as plain data every report renders.

The unit of credit is an *item*: one quantity of one layer on one case in one dtype,
judged by every oracle. Its verdict is the worst its oracles gave (``judging.SEVERITY``);
it is charged when that is ``fail``, ``error`` or ``missing``. A ``harness-error`` (the
oracles disagree), an item no oracle could judge, or one the adapter declared the
library cannot express (``unsupported``) is never charged to the student:
the points are awarded and the item is flagged for the instructor. Items are grouped
into *tests* (a layer's quantity, split into its visible and hidden parts), which is
what Gradescope, JUnit and the gradebook list.

Points are exact (``harness.points``): shares of a quantity are fractions and totals are
their exact sums, so a perfect submission scores exactly the maximum. A test's score
depends only on its own items, so a visible test never reveals a hidden result, and
``Grade.for_students`` is the grade as students may see it before hidden checks are
released.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from harness import autodiff, judging
from harness.judging import CHARGED, tally
from harness.points import Points, total
from harness.result import ERROR, HARNESS_ERROR, MISSING, PASS, SKIP, UNSUPPORTED, Check, Result
from harness.rubric import LayerRule, Rubric

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
    excluded: bool = False
    """Left out of the maximum (an unsupported case under ``unsupported = "exclude"``)."""

    @property
    def detail(self) -> str:
        """The failure text; for a quantity no case was run on, that it never ran."""
        if self.check is not None:
            return self.check.explain()
        return "" if self.passed else f"{self.verdict}: no case of this quantity was run"


@dataclass(frozen=True)
class Test:
    """A layer's quantity (its visible or its hidden part) with its points."""

    layer: str
    quantity: str
    visible: bool
    points: Points
    max_points: Points
    items: tuple[Item, ...]
    count: int = 0
    """How many items the quantity's points are shared over (visible and hidden parts
    together, excluded items included): each item's share is points / count."""

    @property
    def excluded(self) -> int:
        """How many of this test's items are left out of its maximum."""
        return sum(item.excluded for item in self.items)

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
    def spread(self) -> str:
        """Where the failures are, said once: ``float32 and float64, 3 / 3 cases``."""
        failures = self.failures
        dtypes = " and ".join(sorted({i.dtype for i in failures}))
        cases = len({i.case for i in self.items})
        return f"{dtypes}, {len({i.case for i in failures})} / {cases} " + (
            "case" if cases == 1 else "cases")

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
    def points(self) -> Points:
        return total(t.points for t in self.tests)

    @property
    def max_points(self) -> Points:
        return total(t.max_points for t in self.tests)


@dataclass(frozen=True)
class Grade:
    """A submission's grade: layers, total, and what the instructor should look at."""

    submission: str
    rubric: str
    layers: tuple[LayerGrade, ...]
    max_points: Points
    status: str = GRADED
    reason: str = ""
    result: Result | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)
    withheld: Points = field(default_factory=Points)
    """Points of hidden checks left out of this view (``for_students``); 0 in a full grade."""

    @property
    def points(self) -> Points:
        return total(layer.points for layer in self.layers)

    @property
    def perfect(self) -> bool:
        """Every point earned (exactly: no rounding can make a lost share look earned)."""
        return self.points == self.max_points

    def for_students(self) -> Grade:
        """The grade as students may see it while hidden checks are unreleased: only the
        visible tests, totals over them alone, no instructor flags. ``withheld`` says
        how many points the hidden checks are worth, never what they earned."""
        layers = tuple(LayerGrade(layer.layer, shown) for layer in self.layers
                       if (shown := tuple(t for t in layer.tests if t.visible)))
        hidden = total(t.max_points for t in self.tests if not t.visible)
        return replace(self, layers=layers, max_points=Points(self.max_points - hidden),
                       flags=(), withheld=Points(self.withheld + hidden))

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

    @property
    def unloaded_heading(self) -> str:
        """How reports introduce ``unloaded``: a submission that was never graded (it
        crashed the grader, or a batch stopped) is not one whose code did not load, which
        was graded and earned nothing."""
        return "Not graded" if self.reason else "Nothing ran"

    @property
    def unloaded(self) -> str:
        """Why nothing could be run (not graded, or the code never loaded), said once
        instead of on every check; ``""`` when the code ran."""
        if self.reason:
            return self.reason
        return judging.never_loaded(self.result) if self.result is not None else ""


def grade(result: Result, rubric: Rubric, submission: str = "") -> Grade:
    """Weigh every check of ``result`` with ``rubric`` (which may refuse the credit of a
    layer whose gradients an autodiff engine computed: ``harness.autodiff``)."""
    if rubric.autodiff == "refuse":
        result = autodiff.refuse(result, result.autodiff)
    by_item: dict[tuple[str, str, int, str], list[Check]] = defaultdict(list)
    for check in result.checks:
        by_item[(check.layer, check.quantity, check.case, check.dtype)].append(check)
    layers = tuple(_layer(rule, by_item, rubric.unsupported) for rule in rubric.rules.values())
    flags = tuple(f"{t.name}: {flag}" for layer in layers for t in layer.tests
                  for flag in dict.fromkeys(t.flags))
    flags += tuple(autodiff.flags(result.autodiff, rubric.autodiff))
    excluded = total(Points(rule.points[t.quantity] / t.count) * t.excluded
                     for layer, rule in zip(layers, rubric.rules.values(), strict=True)
                     for t in layer.tests)
    return Grade(submission or result.target, rubric.name, layers,
                 Points(rubric.max_points - excluded), result=result, flags=flags)


def crashed(submission: str, rubric: Rubric, reason: str) -> Grade:
    """A zero grade for a submission that produced no result at all."""
    return Grade(submission, rubric.name, (), rubric.max_points, CRASHED, reason,
                 flags=(f"not graded: {reason}",))


def _layer(rule: LayerRule, by_item: dict, unsupported: str = "award") -> LayerGrade:
    keys = [k for k in by_item if k[0] == rule.layer]
    tests = []
    for quantity, points in rule.points.items():
        items = [_item(case, dtype, by_item[(rule.layer, quantity, case, dtype)], unsupported)
                 for (_, q, case, dtype) in keys if q == quantity]
        if not items:
            items = [Item(0, "", MISSING, False, check=None)]
        tests += _tests(rule, quantity, points, items)
    return LayerGrade(rule.layer, tuple(tests))


def _tests(rule: LayerRule, quantity: str, points: Points, items: list[Item]) -> list[Test]:
    """The visible and the hidden part of one quantity, each with its exact share of
    points. All or nothing (``partial = "none"``) holds for each part on its own: a
    visible part that lost points for a hidden failure would give the hidden result away."""
    share = Points(points / len(items))
    parts = []
    for visible in (True, False):
        mine = tuple(i for i in items if rule.visible(quantity, i.case) == visible)
        if not mine:
            continue
        counted = [i for i in mine if not i.excluded]
        top = Points(share * len(counted))
        if rule.partial == "case":
            earned = Points(share * sum(i.passed for i in counted))
        else:
            earned = top if all(i.passed for i in counted) else Points(0)
        parts.append(Test(rule.layer, quantity, visible, earned, top, mine, len(items)))
    return parts


def _item(case: int, dtype: str, checks: list[Check], unsupported: str = "award") -> Item:
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
    elif verdict == UNSUPPORTED and unsupported == "exclude":
        flag = f"case {case} {dtype} unsupported, excluded from the maximum: {worst.message}"
        return Item(case, dtype, verdict, True, flag, worst, excluded=True)
    elif verdict == UNSUPPORTED:
        flag = f"case {case} {dtype} unsupported, not charged: {worst.message}"
    return Item(case, dtype, verdict, True, flag, worst)


def _error(check: Check) -> float:
    """The relative error of a passing check (0 when it has no comparison)."""
    if check.comparison is None or check.comparison.max_rel != check.comparison.max_rel:
        return 0.0
    return check.comparison.max_rel
