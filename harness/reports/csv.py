"""The gradebook: one CSV row per submission, for a spreadsheet or an LMS import.

Columns: submission, status, score, max_score, one column per layer (its points), the
number of flagged items, and the reason a submission was not graded. Rows are sorted
by submission name, so a gradebook is byte-identical however the batch was run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

FIXED = ("submission", "status", "score", "max_score")
TRAILING = ("flags", "reason", "problems")
MAX_PROBLEMS = 3


def render(grades: Iterable[Mapping[str, Any]]) -> str:
    """The gradebook for ``grades`` (``backcheck.grade`` JSON dictionaries)."""
    rows = sorted(grades, key=lambda g: g["submission"])
    layers = list(dict.fromkeys(layer["layer"] for g in rows for layer in g["layers"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIXED, *layers, *TRAILING])
    for g in rows:
        points = {layer["layer"]: layer["score"] for layer in g["layers"]}
        writer.writerow([g["submission"], g["status"], _number(g["score"]),
                         _number(g["max_score"]),
                         *(_number(points[n]) if n in points else "" for n in layers),
                         len(g["flags"]), g["reason"], _problems(g.get("problems", []))])
    return out.getvalue()


def _problems(problems: list[str]) -> str:
    shown = "; ".join(problems[:MAX_PROBLEMS])
    more = len(problems) - MAX_PROBLEMS
    return f"{shown}; and {more} more" if more > 0 else shown


def _number(value: float) -> str:
    return f"{value:g}"
