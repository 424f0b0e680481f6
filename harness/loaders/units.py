"""Running code one unit at a time (top-level statements, notebook cells) in one namespace.

A unit that raises does not stop the others: a failed ``import matplotlib`` or a
training loop that crashes leaves the layer classes defined above and below it usable,
and each failure becomes a note naming the unit, the exception and the line.
"""

from __future__ import annotations

import ast
import os
import traceback
from dataclasses import dataclass
from typing import Any

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


def run(units: list[Unit], namespace: dict[str, Any]) -> list[str]:
    """Execute ``units`` in order in ``namespace``; a note for each one that failed."""
    failures = [note for unit in units if (note := _run_one(unit, namespace))]
    if len(failures) > MAX_NOTES:
        failures = [*failures[:MAX_NOTES], f"... and {len(failures) - MAX_NOTES} more "
                    "failures while loading"]
    return failures


def _run_one(unit: Unit, namespace: dict[str, Any]) -> str:
    try:
        exec(unit.code, namespace)
    except SystemExit as exc:
        return f"{unit.label} called sys.exit({exc.code!r}); the rest still loaded"
    except ModuleNotFoundError as exc:
        return (f"{unit.label} needs module {exc.name!r}, which is not installed here; "
                "code that uses it will fail")
    except Exception as exc:
        return f"{unit.label} raised {type(exc).__name__}: {exc}{_where(exc, unit)}"
    return ""


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
