"""Results and grades as colored tables for people, then the failures with their hints.

Every text from a submission or a comparison goes through ``_safe``: control characters
(ANSI escapes) made visible, then rich markup escaped, since text such as ``[0, 2]`` or
``[link=...]`` would otherwise be read as markup; lines carrying such text are printed
with ``emoji=False`` so ``:smile:`` stays as written.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from harness.grading import Grade
from harness.judging import SEVERITY, never_loaded, spread, tally, undefined_in
from harness.points import amount, pair
from harness.reports.untrusted import printable
from harness.repro import reproduce
from harness.result import FAIL, HARNESS_ERROR, MISSING, PASS, SKIP, UNSUPPORTED, Check, Result

STYLE = {PASS: "green", FAIL: "red", "error": "red", MISSING: "yellow", SKIP: "dim",
         HARNESS_ERROR: "magenta", UNSUPPORTED: "cyan"}
MAX_DETAILS = 12
SHOWN_UNDEFINED = 8
"""How many layers the code does not define are named before \"...\"."""


def render(result: Result, console: Console | None = None) -> None:
    """Print the summary table and one paragraph per distinct failure."""
    console = console or Console()
    reason = never_loaded(result)
    if reason:
        console.print(f"[red]not loaded:[/red] {_safe(reason)}", emoji=False)
        console.print(f"[red]0 / {len(result.checks)} checks run[/red] "
                      f"({result.seconds:.1f} s)", emoji=False)
        return
    console.print(_table(result))
    for name, reason in result.skipped_oracles.items():
        console.print(f"[dim]skipped oracle {_safe(name)}: {_safe(reason)}[/dim]", emoji=False)
    for note in result.notes:
        console.print(f"[yellow]note:[/yellow] {_safe(note)}", emoji=False)
    _unsupported(result, console)
    _details(result, console)
    _minimal(result, console)
    passed = sum(c.verdict == PASS for c in result.checks)
    judged = sum(c.verdict not in (SKIP, UNSUPPORTED) for c in result.checks)
    color = "green" if result.passed else "red"
    console.print(f"[{color}]{passed} / {judged} checks passed[/{color}] "
                  f"({result.seconds:.1f} s, adapter {_safe(result.adapter or 'none')})",
                  emoji=False)


def _unsupported(result: Result, console: Console) -> None:
    """The cases the adapter declared the library cannot express, once per layer."""
    cases: dict[tuple[str, str], list[int]] = defaultdict(list)
    for check in result.checks:
        if check.verdict == UNSUPPORTED and check.case not in cases[(check.layer, check.message)]:
            cases[(check.layer, check.message)].append(check.case)
    for (layer, reason), indices in cases.items():
        listed = ", ".join(str(i) for i in sorted(indices))
        console.print(f"[cyan]unsupported, not charged:[/cyan] {_safe(layer)} case "
                      f"{listed}: {_safe(reason)}", emoji=False)


def _safe(text: str) -> str:
    """Submission text for a rich markup string: shown as written, never obeyed."""
    return escape(printable(text))


def _table(result: Result) -> Table:
    cells: dict[tuple[str, str, str], list[Check]] = defaultdict(list)
    for check in result.checks:
        cells[(check.layer, check.quantity, check.oracle)].append(check)
    oracles = list(dict.fromkeys(c.oracle for c in result.checks))
    table = Table(title=Text(f"backcheck: {printable(result.target)}"))
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
    """One paragraph per distinct failure (same layer, quantity, verdict and words),
    saying once in which dtypes and on how many cases it happened: wrong values first,
    then code that raised or returned something unusable, then stubs; layers the code
    never defines take one line at the end (``_undefined``), not a paragraph each."""
    groups: dict[tuple, list[Check]] = {}
    for check in result.checks:
        if not check.passed and not undefined_in(check):
            key = (check.layer, check.quantity, check.verdict, check.kind or check.message)
            groups.setdefault(key, []).append(check)
    ordered = sorted(groups.items(), key=lambda item: SEVERITY.index(item[0][2]))
    for key, checks in ordered[:MAX_DETAILS]:
        check = checks[0]
        cases = {c.case for c in result.checks if (c.layer, c.quantity) == key[:2]}
        console.print(f"[{STYLE[check.verdict]}]{check.id}[/] ({spread(checks, len(cases))}; "
                      f"{_safe(check.shapes)}): {_safe(check.explain())}", emoji=False)
        how = reproduce(result, check.layer, check.case, check.dtype, check.quantity)
        console.print(f"  [dim]{_safe(how)}[/dim]", emoji=False)
    if len(ordered) > MAX_DETAILS:
        console.print(f"[dim]... {len(ordered) - MAX_DETAILS} more failures; use --json for "
                      "all of them[/dim]")
    _undefined(result, console)


def _undefined(result: Result, console: Console) -> None:
    """The layers the code does not define, in one line per place they were looked for:
    a library checked against the whole catalog lacks most of it, and saying so layer
    by layer would bury its real failures. The layers it does define make the
    ``--layers`` that checks only those."""
    missing: dict[str, list[str]] = {}
    for check in result.checks:
        where = undefined_in(check)
        if where and check.layer not in missing.setdefault(where, []):
            missing[where].append(check.layer)
    absent = {layer for layers in missing.values() for layer in layers}
    defined = [layer for layer in result.layers() if layer not in absent]
    only = f"; check only yours with --layers {','.join(defined)}" if defined else ""
    for where, layers in missing.items():
        names = ", ".join(layers[:SHOWN_UNDEFINED]) + (
            ", ..." if len(layers) > SHOWN_UNDEFINED else "")
        count = f"{len(layers)} layer{'s' if len(layers) != 1 else ''}"
        console.print(f"[{STYLE[MISSING]}]not defined in {_safe(where)}:[/] {_safe(names)} "
                      f"({count}{_safe(only)})", emoji=False)


def render_grade(grade: Grade, console: Console | None = None, students: bool = False) -> None:
    """Print a grade: one row per test with its points, then what to fix, then the total.

    With ``students``, only what students may see before hidden checks are released
    (``Grade.for_students``): the visible tests and their total, and how many points
    the hidden checks are worth.
    """
    console = console or Console()
    grade = grade.for_students() if students else grade
    table = Table(title=Text(f"backcheck grade: {printable(grade.submission)} "
                             f"({printable(grade.rubric)})"))
    for column, justify in (("layer", "left"), ("check", "left"), ("points", "right"),
                            ("status", "center")):
        table.add_column(column, justify=justify)
    for test in grade.tests:
        table.add_row(test.layer, test.quantity + ("" if test.visible else " (hidden)"),
                      pair(test.points, test.max_points), _status(test))
    if not grade.unloaded:
        console.print(table)
    if grade.unloaded:
        console.print(f"[red]not graded:[/red] {_safe(grade.unloaded)}", emoji=False)
    else:
        _grade_details(grade, console)
    if grade.result is not None:
        _minimal(grade.result, console, {t.layer for t in grade.tests if not t.passed})
    for flag in grade.flags:
        console.print(f"[magenta]for the instructor:[/magenta] {_safe(flag)}", emoji=False)
    color = "green" if grade.perfect else "red"
    scope = " on the visible checks" if grade.withheld else ""
    console.print(f"[{color}]score {pair(grade.points, grade.max_points)}[/{color}]{scope} "
                  f"({grade.seconds:.1f} s)")
    if grade.withheld:
        console.print(f"hidden checks worth another {amount(grade.withheld)} count too; "
                      "their results are shown when released")


def _status(test) -> str:
    verdict, label = test.status
    return f"[{STYLE.get(verdict, 'red')}]{label}[/]"


def _grade_details(grade: Grade, console: Console) -> None:
    count = 0
    for test in grade.tests:
        failures = test.failures
        if not failures:
            continue
        if count == MAX_DETAILS:
            console.print("[dim]... more failures; see grade.json or report.html[/dim]")
            return
        count += 1
        first = failures[0]
        more = f" (and {len(failures) - 1} more cases)" if len(failures) > 1 else ""
        console.print(f"[{STYLE[first.verdict]}]{test.name}[/] case {first.case} "
                      f"{first.dtype}{more}: {_safe(first.detail)}", emoji=False)
        how = reproduce(grade.result, test.layer, first.case, first.dtype, test.quantity)
        if how:
            console.print(f"  [dim]{_safe(how)}[/dim]", emoji=False)


def _minimal(result: Result, console: Console, layers: set[str] | None = None) -> None:
    """Each failing layer's smallest failing case (``harness.shrink``); in a grade, only
    for the layers with a failing test shown (a student view never hints at hidden ones)."""
    for layer, text in result.minimal.items():
        if layers is None or layer in layers:
            console.print(f"[cyan]smallest:[/cyan] {_safe(text)}", emoji=False)
