"""A Markdown summary, short enough for a pull-request comment.

The score, a table of layers, then one line per failing test with the hint. With
``students``, only what students may see before hidden checks are released
(``Grade.for_students``): hidden tests are left out, totals cover the visible checks,
and one line says how many points the hidden checks are worth.

Text from a submission is Markdown-escaped (``_escape``) or set in a code span
(``_code``), so it can neither format, link, embed an image nor open raw HTML.
"""

from __future__ import annotations

import re

from harness.grading import Grade, Test
from harness.points import amount, pair
from harness.reports.untrusted import one_line
from harness.repro import reproduce

MAX_FAILURES = 20
SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
"""Characters Markdown may act on in the middle of a line (emphasis, code, links and
images, raw HTML and entities, table cells, and GitHub's strike-through and math); each
is written backslash-escaped. Submission text never starts a line, so block syntax
(``#``, ``-``, ``>`` at the start) cannot apply."""


def render(grade: Grade, students: bool = False) -> str:
    """The Markdown text for ``grade``."""
    grade = grade.for_students() if students else grade
    mark = "✅" if grade.perfect else "❌"
    scope = " on the visible checks" if grade.withheld else ""
    lines = [f"## {mark} backcheck: {pair(grade.points, grade.max_points)} points{scope}",
             "", f"Submission {_code(grade.submission)}, rubric {_code(grade.rubric)}.", ""]
    if grade.withheld:
        lines += [f"Hidden checks worth another {amount(grade.withheld)} count too; "
                  "their results are shown when released.", ""]
    if grade.unloaded:
        lines += [f"**{grade.unloaded_heading}:** {_escape(grade.unloaded)}", ""]
    elif grade.layers:
        lines += ["| layer | points | checks passed |", "|---|---:|---:|"]
        for layer in grade.layers:
            passed = sum(t.passed for t in layer.tests)
            lines.append(f"| {layer.layer} | {pair(layer.points, layer.max_points)} | "
                         f"{passed} / {len(layer.tests)} |")
        lines.append("")
    if not grade.unloaded:
        lines += _failures([t for t in grade.tests if not t.passed], grade.result)
    if grade.flags:
        lines += ["", "<details><summary>For the instructor</summary>", ""]
        lines += [f"- {_escape(flag)}" for flag in grade.flags]
        lines += ["", "</details>"]
    return "\n".join(lines).rstrip() + "\n"


def _failures(failed: list[Test], result=None) -> list[str]:
    if not failed:
        return []
    lines = ["### What to fix", ""]
    for test in failed[:MAX_FAILURES]:
        item = test.failures[0]
        lines.append(f"- **{test.name}** ({test.spread}; first: case {item.case}, "
                     f"{item.dtype}): {_escape(item.detail)}")
        how = reproduce(result, test.layer, item.case, item.dtype, test.quantity)
        if how:
            lines.append(f"  {_code(how)}")
    if len(failed) > MAX_FAILURES:
        lines.append(f"- ... and {len(failed) - MAX_FAILURES} more")
    shown = {test.layer for test in failed}
    smallest = [text for layer, text in (result.minimal if result else {}).items()
                if layer in shown]
    if smallest:
        lines += ["", "### Smallest failing cases", ""]
        lines += [f"- {_escape(text)}" for text in smallest]
    return lines


def _escape(text: str) -> str:
    """``text`` on one line, every character Markdown could act on backslash-escaped."""
    return SPECIAL.sub(r"\\\1", one_line(text))


def _code(text: str) -> str:
    """``text`` as an inline code span, fenced by more backticks than it contains."""
    text = one_line(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def report(graded, view) -> str:
    """``report.md`` (the ``harness.reports`` signature)."""
    return render(graded.grade, view.students)
