"""The gradebook: one CSV row per submission, for a spreadsheet or an LMS import.

Columns: submission, status, score, max_score, one column per layer (its points), the
number of flagged items, and the reason a submission was not graded. Rows are sorted
by submission name, so a gradebook is byte-identical however the batch was run.

Every text cell that a spreadsheet would read as a formula (one starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return, e.g. a submission named
``=HYPERLINK(...).py`` or an error message) gets a leading ``'``, so it shows as text
and never runs. A submission the batch has not graded yet has an empty score.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

FIXED = ("submission", "status", "score", "max_score")
TRAILING = ("flags", "reason", "problems")
MAX_PROBLEMS = 3
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NOT_GRADED = "not graded"


def render(grades: Iterable[Mapping[str, Any]]) -> str:
    """The gradebook for ``grades`` (``backcheck.grade`` JSON dictionaries)."""
    rows = sorted(grades, key=lambda g: g["submission"])
    layers = list(dict.fromkeys(layer["layer"] for g in rows for layer in g["layers"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIXED, *layers, *TRAILING])
    for g in rows:
        points = {layer["layer"]: layer["score"] for layer in g["layers"]}
        score = "" if g["status"] == NOT_GRADED else _number(g["score"])
        writer.writerow([_text(g["submission"]), _text(g["status"]), score,
                         _number(g["max_score"]),
                         *(_number(points[n]) if n in points else "" for n in layers),
                         len(g["flags"]), _text(g["reason"]),
                         _text(_problems(g.get("problems", [])))])
    return out.getvalue()


def _problems(problems: list[str]) -> str:
    shown = "; ".join(problems[:MAX_PROBLEMS])
    more = len(problems) - MAX_PROBLEMS
    return f"{shown}; and {more} more" if more > 0 else shown


def _text(value: str) -> str:
    """``value``, made inert for a spreadsheet when it would start a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _number(value: float) -> str:
    return f"{value:g}"
