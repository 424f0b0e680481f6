"""Running code one unit at a time (top-level statements, notebook cells) in one namespace.

A unit that raises does not stop the others: a failed ``import matplotlib`` or a
training loop that crashes leaves the layer classes defined above and below it usable,
and each failure becomes a note naming the unit, the exception and the line. A unit
that ends the loading on purpose (``sys.exit``) or runs out of memory is always noted,
with the submission's name, however many other units failed: what is graded after it
must never look like a clean load.
"""

from __future__ import annotations

import ast
import os
import traceback
from dataclasses import dataclass
from typing import Any

from harness import pitfalls

MAX_NOTES = 5


@dataclass(frozen=True)
class Unit:
    """Compiled code and how to name it in a note (``line 12``, ``cell 3``)."""

    label: str
    code: Any


def statements(text: str, filename: str) -> list[Unit]:
    """Each top-level statement of a module as its own unit (line numbers kept)."""
    tree = ast.parse(text, filename)
    flags = _future_flags(tree)
    return [
        Unit(f"line {node.lineno}",
             compile(ast.Module([node], type_ignores=[]), filename, "exec",
                     flags=flags, dont_inherit=True))
        for node in tree.body
    ]


@dataclass(frozen=True)
class Ran:
    """What running the units had to say: ``notes`` for people (capped at ``MAX_NOTES``,
    endings always kept), and ``failed``, one ``line 3 failed: ...`` per unit that did not
    finish, for ``Submission.failed`` (a layer defined there is not found later)."""

    notes: list[str]
    failed: list[str]


def run(units: list[Unit], namespace: dict[str, Any], name: str = "") -> Ran:
    """Execute ``units`` in order in ``namespace``; a note for each one that failed.

    ``name`` (the submission's) begins the notes that are never capped: an exit or a
    ``MemoryError`` while loading.
    """
    failures, endings, failed = [], [], []
    for unit in units:
        try:
            why, after = _run_one(unit, namespace)
        except (SystemExit, MemoryError) as exc:
            endings.append(ending(name or "the submission", exc, _place(unit.label),
                                  "the rest still loaded"))
            failed.append(f"{unit.label} failed: {_what(exc)}")
            continue
        if why:
            failures.append(f"{unit.label} {why}{after}")
            failed.append(f"{unit.label} failed: {why}")
    if len(failures) > MAX_NOTES:
        failures = [*failures[:MAX_NOTES], f"... and {len(failures) - MAX_NOTES} more "
                    "failures while loading"]
    return Ran([*endings, *failures], failed)


def ending(name: str, exc: SystemExit | MemoryError, place: str, after: str) -> str:
    """``alice.py called sys.exit(0) at line 3 while loading; the rest still loaded``."""
    return f"{name} {_what(exc)} {place} while loading; {after}"


def _what(exc: SystemExit | MemoryError) -> str:
    """``called sys.exit(0)`` or ``ran out of memory (MemoryError: ...)``."""
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r})"
    return f"ran out of memory (MemoryError{f': {exc}' if str(exc) else ''})"


def _place(label: str) -> str:
    """``at line 3`` or ``in cell 2``."""
    return f"{'at' if label.startswith('line') else 'in'} {label}"


def _run_one(unit: Unit, namespace: dict[str, Any]) -> tuple[str, str]:
    """(why ``unit`` failed, what that means for the rest), or ``("", "")`` if it ran."""
    try:
        exec(unit.code, namespace)
    except ModuleNotFoundError as exc:
        return (f"needs module {exc.name!r}, which is not installed here",
                "; code that uses it will fail")
    except MemoryError:
        raise
    except Exception as exc:
        return f"raised {pitfalls.describe(exc)}{_where(exc, unit)}", ""
    return "", ""


def _where(exc: BaseException, unit: Unit) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename == unit.code.co_filename]
    if not frames:
        return ""
    return f" (at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno})"


def _future_flags(tree: ast.Module) -> int:
    import __future__

    flags = 0
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            for alias in node.names:
                feature = getattr(__future__, alias.name, None)
                flags |= getattr(feature, "compiler_flag", 0)
    return flags
