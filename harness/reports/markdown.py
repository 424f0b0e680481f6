"""A Markdown summary, short enough for a pull-request comment.

The score, a table of layers, then one line per failing test with the hint. With
``students``, hidden tests count in the score but their details are left out.
"""

from __future__ import annotations

from harness.grading import Grade, Test

MAX_FAILURES = 20


def render(grade: Grade, students: bool = False) -> str:
    """The Markdown text for ``grade``."""
    mark = "✅" if grade.points == grade.max_points else "❌"
    lines = [f"## {mark} backcheck: {grade.points:g} / {grade.max_points:g} points",
             "", f"Submission `{grade.submission}`, rubric `{grade.rubric}`.", ""]
    if grade.reason:
        lines += [f"**Not graded:** {_escape(grade.reason)}", ""]
    if grade.layers:
        lines += ["| layer | points | checks passed |", "|---|---:|---:|"]
        for layer in grade.layers:
            passed = sum(t.passed for t in layer.tests)
            lines.append(f"| {layer.layer} | {layer.points:g} / {layer.max_points:g} | "
                         f"{passed} / {len(layer.tests)} |")
        lines.append("")
    lines += _failures([t for t in grade.tests if not t.passed], students)
    if grade.flags and not students:
        lines += ["", "<details><summary>For the instructor</summary>", ""]
        lines += [f"- {_escape(flag)}" for flag in grade.flags]
        lines += ["", "</details>"]
    return "\n".join(lines).rstrip() + "\n"


def _failures(failed: list[Test], students: bool) -> list[str]:
    if not failed:
        return []
    lines = ["### What to fix", ""]
    for test in failed[:MAX_FAILURES]:
        if students and not test.visible:
            lines.append(f"- **{test.name}**: hidden check failed")
            continue
        item = test.failures[0]
        lines.append(f"- **{test.name}** (case {item.case}, {item.dtype}, "
                     f"{len(test.failures)} of {len(test.items)} cases wrong): "
                     f"{_escape(item.detail)}")
    if len(failed) > MAX_FAILURES:
        lines.append(f"- ... and {len(failed) - MAX_FAILURES} more")
    return lines


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report(graded, view) -> str:
    """``report.md`` (the ``harness.reports`` signature)."""
    return render(graded.grade, view.students)
