"""Results as a colored table for people: layer x quantity x oracle, then the failures."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.table import Table

from harness.result import FAIL, HARNESS_ERROR, MISSING, PASS, SKIP, Check, Result

STYLE = {PASS: "green", FAIL: "red", "error": "red", MISSING: "yellow", SKIP: "dim",
         HARNESS_ERROR: "magenta"}
MAX_DETAILS = 12


def render(result: Result, console: Console | None = None) -> None:
    """Print the summary table and one paragraph per distinct failure."""
    console = console or Console()
    console.print(_table(result))
    for name, reason in result.skipped_oracles.items():
        console.print(f"[dim]skipped oracle {name}: {reason}[/dim]")
    for note in result.notes:
        console.print(f"[yellow]note:[/yellow] {note}")
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
    verdicts = [c.verdict for c in checks]
    worst = next((v for v in (FAIL, "error", HARNESS_ERROR, MISSING, SKIP) if v in verdicts),
                 PASS)
    ok = verdicts.count(PASS)
    label = {PASS: "pass"}.get(worst, f"{worst} {ok}/{len(checks)}")
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
                      f"{check.shapes}): {check.explain()}")
