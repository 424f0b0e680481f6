"""Results and grades as JSON, for scripts. Both schemas are versioned.

``backcheck.result`` (``to_dict``) is what ``backcheck check --json`` prints;
``backcheck.grade`` (``grade_dict``) is the ``grade.json`` of ``grade`` and ``batch``.
docs/json-schema.md documents every field. A grade's JSON is a pure function of the
submission's arrays, the rubric and the options: everything that varies from run to
run (timing) sits under ``"timing"``, so two runs compare equal once it is removed.
Points are exact until written here (``harness.points.number``): a perfect score is
exactly ``max_score``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from harness.grading import Grade, Item, LayerGrade, Test
from harness.points import number
from harness.result import Check, Result

SCHEMA_VERSION = 1
GRADE_SCHEMA_VERSION = 1
VOLATILE = ("timing",)
"""Top-level keys of a grade that may differ between two runs of the same submission."""


def to_dict(result: Result) -> dict[str, Any]:
    """The result as plain JSON-ready data (NaN becomes ``null``)."""
    return {
        "schema": "backcheck.result",
        "schema_version": SCHEMA_VERSION,
        "target": result.target,
        "adapter": result.adapter,
        "passed": result.passed,
        "skipped_oracles": dict(result.skipped_oracles),
        "notes": list(result.notes),
        "minimal": dict(result.minimal),
        "checks": [check_dict(c) for c in result.checks],
    }


CHECK_FIELDS = ("layer", "case", "dtype", "quantity", "oracle", "verdict", "message", "hint",
                "shapes", "seed")
COMPARISON_FIELDS = ("passed", "max_abs", "max_rel", "worst_expected", "worst_actual",
                     "mismatched", "total", "problem")


def check_dict(check: Check) -> dict[str, Any]:
    """One check as JSON-ready data (built field by field: a batch writes thousands)."""
    data = {name: getattr(check, name) for name in CHECK_FIELDS}
    data["message"] = check.why
    data["id"] = check.id
    comparison = check.comparison
    if comparison is not None:
        data.update({k: _finite(getattr(comparison, k)) for k in COMPARISON_FIELDS})
        data["worst_index"] = list(comparison.worst_index or [])
        data["tolerance"] = {"rtol": comparison.tolerance.rtol,
                             "atol": comparison.tolerance.atol}
    return data


def grade_dict(grade: Grade, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """A grade as JSON-ready data: totals, layers, tests, items, and every check."""
    result = grade.result
    return {
        "schema": "backcheck.grade",
        "schema_version": GRADE_SCHEMA_VERSION,
        "submission": grade.submission,
        "rubric": grade.rubric,
        "status": grade.status,
        "reason": grade.reason,
        "score": number(grade.points, grade.max_points),
        "max_score": number(grade.max_points),
        "settings": dict(settings or {}),
        "adapter": result.adapter if result else "",
        "notes": list(result.notes) if result else [],
        "skipped_oracles": dict(result.skipped_oracles) if result else {},
        "flags": list(grade.flags),
        "problems": grade.problems,
        "layers": [_layer(layer) for layer in grade.layers],
        "checks": [check_dict(c) for c in result.checks] if result else [],
        "timing": {"seconds": round(grade.seconds, 3)},
    }


def dumps(data: dict[str, Any]) -> str:
    """Stable JSON text: fixed key order, compact, a final newline.

    Compact because ``indent`` makes ``json`` fall back from its C encoder to pure Python,
    several times slower on a batch's thousands of checks; pipe through ``python -m
    json.tool`` to read one. A lone surrogate (a submission's message can carry one, and
    no UTF-8 file can hold it) is written as its JSON escape ``\\udXXX``: the same string
    to every JSON reader.
    """
    text = json.dumps(data, separators=(",", ":"), allow_nan=False, ensure_ascii=False)
    return text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n"


def stable(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the keys that vary between runs (for comparing two runs)."""
    return {k: v for k, v in data.items() if k not in VOLATILE}


def _layer(layer: LayerGrade) -> dict[str, Any]:
    return {"layer": layer.layer, "score": number(layer.points, layer.max_points),
            "max_score": number(layer.max_points),
            "tests": [_test(t) for t in layer.tests]}


def _test(test: Test) -> dict[str, Any]:
    return {"name": test.name, "quantity": test.quantity, "visible": test.visible,
            "score": number(test.points, test.max_points),
            "max_score": number(test.max_points), "passed": test.passed,
            "items": [_item(i) for i in test.items]}


def _item(item: Item) -> dict[str, Any]:
    check = item.check
    return {"case": item.case, "dtype": item.dtype, "verdict": item.verdict,
            "passed": item.passed, "excluded": item.excluded, "flag": item.flag,
            "check": check.id if check else "", "hint": check.hint if check else "",
            "where": check.where if check else "",
            "detail": item.detail}


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def report(graded, view) -> str:
    """``grade.json`` (the ``harness.reports`` signature)."""
    return dumps(grade_dict(graded.grade, view.settings))
