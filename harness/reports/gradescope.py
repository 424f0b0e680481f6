"""Gradescope's ``results.json``, following its autograder specification.

https://gradescope-autograders.readthedocs.io/en/latest/specs/#output-format: a top-level
``score``, ``execution_time`` (seconds), ``output``, ``visibility`` and
``stdout_visibility``, and ``tests``, each with ``name``, ``score``, ``max_score``,
``status`` (``passed``/``failed``), ``output`` and ``visibility`` (``visible``,
``hidden``, ``after_due_date``, ``after_published``). One test per layer quantity; a
rubric's hidden checks become tests with ``visibility`` ``hidden``. What only the
instructor should read (oracle disagreements) goes to stdout and ``extra_data``.
"""

from __future__ import annotations

from typing import Any

from harness.grading import Grade, Test

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
STATUSES = ("passed", "failed")
MAX_ITEMS = 3
"""Failing cases described in one test's output; the rest are counted."""


def to_dict(grade: Grade, hidden: str = "hidden") -> dict[str, Any]:
    """The ``results.json`` content for ``grade``; ``hidden`` is the visibility of
    tests the rubric hides (``hidden`` by default, or ``after_published``...)."""
    return {
        "score": grade.points,
        "execution_time": round(grade.seconds),
        "output": _summary(grade),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"rubric": grade.rubric, "max_score": grade.max_points,
                       "status": grade.status,
                       "flags": list(grade.flags)},
        "tests": [_test(t, hidden) for t in grade.tests],
    }


def _summary(grade: Grade) -> str:
    lines = [f"backcheck: {grade.points:g} / {grade.max_points:g} points."]
    if grade.reason:
        lines.append(f"Not graded: {grade.reason}")
    if grade.result is not None:
        lines += [f"Note: {note}" for note in grade.result.notes]
    return "\n".join(lines)


def _test(test: Test, hidden: str) -> dict[str, Any]:
    return {
        "name": test.name,
        "score": test.points,
        "max_score": test.max_points,
        "status": "passed" if test.passed else "failed",
        "output": _output(test),
        "output_format": "text",
        "tags": [test.layer, test.quantity],
        "visibility": "visible" if test.visible else hidden,
    }


def _output(test: Test) -> str:
    failures = test.failures
    if not failures:
        return f"All {len(test.items)} cases passed."
    lines = [f"{len(failures)} of {len(test.items)} cases wrong."]
    for item in failures[:MAX_ITEMS]:
        lines.append(f"case {item.case} ({item.dtype}): {item.detail}")
    if len(failures) > MAX_ITEMS:
        lines.append(f"... and {len(failures) - MAX_ITEMS} more.")
    return "\n".join(lines)


def report(graded, view) -> str:
    """``results.json`` (the ``harness.reports`` signature)."""
    from harness.reports.json import dumps

    return dumps(to_dict(graded.grade, view.hidden))
