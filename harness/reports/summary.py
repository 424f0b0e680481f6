"""The class summary: a score histogram and one row per submission, as one HTML page.

Built from the ``grade.json`` files of a batch (``backcheck.grade`` dictionaries), so
``batch`` and ``merge`` produce the same page from the same grades. Each row links
to the submission's own report when there is one. A row's score is painted as passed
only when it is exactly the maximum (scores are exact, see ``harness.points``); every
text from a submission is escaped (``html.esc``).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import numpy as np

from harness.points import pair
from harness.reports.html import DRAWING, esc, page, png


def render(grades: Iterable[Mapping[str, Any]], links: Mapping[str, str] | None = None) -> str:
    """The class summary page; ``links`` maps a submission to its report's relative URL."""
    rows = sorted(grades, key=lambda g: g["submission"])
    links = links or {}
    percents = [_percent(g) for g in rows]
    graded = [p for g, p in zip(rows, percents, strict=True) if g["status"] == "graded"]
    stats = (f"{len(rows)} submissions, {len(rows) - len(graded)} not graded; "
             f"median {statistics.median(percents):.1f} %, mean "
             f"{statistics.fmean(percents):.1f} %" if rows else "no submissions")
    with DRAWING:
        histogram = _histogram(percents)
    body = ["<h1>backcheck: class summary</h1>", f"<p>{esc(stats)}</p>",
            histogram, _table(rows, percents, links)]
    return page("backcheck: class summary", "\n".join(body))


def _percent(grade: Mapping[str, Any]) -> float:
    top = grade["max_score"]
    return 100.0 * grade["score"] / top if top else 0.0


def _histogram(percents: list[float]) -> str:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 2.8))
    axes = figure.add_subplot()
    axes.hist(percents or [0.0], bins=np.linspace(0, 100, 11), color="#3b6ea8",
              edgecolor="white")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_xlabel("score (% of the maximum)")
    axes.set_ylabel("submissions")
    axes.set_title("Score distribution", fontsize=10)
    figure.tight_layout()
    return png(figure)


def _table(rows: list[Mapping[str, Any]], percents: list[float],
           links: Mapping[str, str]) -> str:
    lines = ["<table><tr><th>submission</th><th>score</th><th>%</th><th>status</th>"
             "<th>flags</th><th>reason</th><th>first problem</th></tr>"]
    for grade, percent in zip(rows, percents, strict=True):
        name = esc(grade["submission"])
        if grade["submission"] in links:
            name = f'<a href="{esc(_relative_url(links[grade["submission"]]))}">{name}</a>'
        css = "pass" if grade["score"] == grade["max_score"] else "fail"
        lines.append(f'<tr><td>{name}</td><td class="{css}">'
                     f'{pair(grade["score"], grade["max_score"])}</td><td>{percent:.1f}</td>'
                     f'<td>{esc(grade["status"])}</td><td>{len(grade["flags"])}</td>'
                     f'<td>{esc(grade["reason"])}</td>'
                     f'<td>{esc((grade.get("problems") or [""])[0])}</td></tr>')
    return "".join(lines) + "</table>"


def _relative_url(path: str) -> str:
    """A relative file path as a URL: every character but ``/`` percent-encoded (a
    non-UTF-8 name as its own bytes), so a submission named ``a#b?c`` or ``x:y`` still
    links to its own folder."""
    return quote(path, safe="/", errors="surrogateescape")
