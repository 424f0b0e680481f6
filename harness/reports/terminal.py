"""Results and grades as colored tables for people, then the failures with their hints.

Every message from a submission or a comparison is escaped: text such as ``[0, 2]`` or
``[cell 6]`` would otherwise be read as rich markup and vanish.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness.grading import Grade
from harness.judging import tally
from harness.result import FAIL, HARNESS_ERROR, MISSING, PASS, SKIP, Check, Result

STYLE = {PASS: "green", FAIL: "red", "error": "red", MISSING: "yellow", SKIP: "dim",
         HARNESS_ERROR: "magenta"}
MAX_DETAILS = 12


def render(result: Result, console: Console | None = None) -> None:
    """Print the summary table and one paragraph per distinct failure."""
    console = console or Console()
    console.print(_table(result))
    for name, reason in result.skipped_oracles.items():
        console.print(f"[dim]skipped oracle {name}: {escape(reason)}[/dim]")
    for note in result.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")
    _details(result, console)
    passed = sum(c.verdict == PASS for c in result.checks)
    judged = sum(c.verdict not in (SKIP,) for c in result.checks)
    color = "green" if result.passed else "red"
    console.print(f"[{color}]{passed} / {judged} checks passed[/{color}] "
                  f"({result.seconds:.1f} s, adapter {result.adapter or 'none'})")


def _table(result: Result) -> Table:
    cells: dict[tuple[str, str, str], list[Check]] = defaultdict(list)
    for check in result.checks:
        cells[(check.layer, check.quantity, check.oracle)].append(check)
    oracles = list(dict.fromkeys(c.oracle for c in result.checks))
    table = Table(title=f"backcheck: {result.target}")
    table.add_column("layer")
    table.add_column("quantity")
    for oracle in oracles:
        table.add_column(oracle, justify="center")
    rows = dict.fromkeys((c.layer, c.quantity) for c in result.checks)
    for layer, quantity in rows:
        table.add_row(layer, quantity, *(_cell(cells[(layer, quantity, o)]) for o in oracles))
    return table


def _cell(checks: list[Check]) -> str:
    if not checks:
        return ""
    worst, label = tally(c.verdict for c in checks)
    return f"[{STYLE[worst]}]{label}[/{STYLE[worst]}]"


def _details(result: Result, console: Console) -> None:
    seen = set()
    shown = 0
    for check in result.checks:
        key = (check.layer, check.quantity, check.verdict, check.message)
        if check.passed or key in seen:
            continue
        seen.add(key)
        if shown == MAX_DETAILS:
            console.print("[dim]... more failures; use --json for all of them[/dim]")
            return
        shown += 1
        console.print(f"[{STYLE[check.verdict]}]{check.id}[/] ({check.dtype}; "
                      f"{escape(check.shapes)}): {escape(check.explain())}")


def render_grade(grade: Grade, console: Console | None = None, students: bool = False) -> None:
    """Print a grade: one row per test with its points, then what to fix, then the total.

    With ``students``, hidden tests show their points but none of their details.
    """
    console = console or Console()
    table = Table(title=f"backcheck grade: {grade.submission} ({grade.rubric})")
    for column, justify in (("layer", "left"), ("check", "left"), ("points", "right"),
                            ("status", "center")):
        table.add_column(column, justify=justify)
    for test in grade.tests:
        table.add_row(test.layer, test.quantity + ("" if test.visible else " (hidden)"),
                      f"{test.points:g} / {test.max_points:g}", _status(test))
    console.print(table)
    if grade.reason:
        console.print(f"[red]not graded:[/red] {escape(grade.reason)}")
    _grade_details(grade, console, students)
    for flag in grade.flags if not students else ():
        console.print(f"[magenta]for the instructor:[/magenta] {escape(flag)}")
    color = "green" if grade.points == grade.max_points else "red"
    console.print(f"[{color}]score {grade.points:g} / {grade.max_points:g}[/{color}] "
                  f"({grade.seconds:.1f} s)")


def _status(test) -> str:
    verdict, label = test.status
    return f"[{STYLE.get(verdict, 'red')}]{label}[/]"


def _grade_details(grade: Grade, console: Console, students: bool) -> None:
    shown = 0
    for test in grade.tests:
        if students and not test.visible:
            continue
        failures = test.failures
        if not failures:
            continue
        if shown == MAX_DETAILS:
            console.print("[dim]... more failures; see grade.json or report.html[/dim]")
            return
        shown += 1
        first = failures[0]
        more = f" (and {len(failures) - 1} more cases)" if len(failures) > 1 else ""
        console.print(f"[{STYLE[first.verdict]}]{test.name}[/] case {first.case} "
                      f"{first.dtype}{more}: {escape(first.detail)}")
