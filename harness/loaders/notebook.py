"""Loading a Jupyter notebook: its code cells, in order, in one namespace.

Only code cells run. IPython syntax (``%magic``, ``!shell``, ``x?``) is dropped, cells
whose magic says the body is not Python (``%%bash``) are skipped, and a cell tagged
``skip`` (cell metadata ``tags``) is left out, which is how a student keeps a long
training cell out of the check. A cell that raises is noted by its number (code cells
counted from 1) and the others still run; a traceback into a cell reads
``homework.ipynb cell 3:5`` (line 5 of the third code cell).
"""

from __future__ import annotations

import os
import re

from harness.loaders import units
from harness.loaders.file import new_module, on_path
from harness.loaders.guard import Guard
from harness.loaders.source import SourceProblem, compile_source, translated
from harness.submission import Submission

SKIP_TAGS = frozenset({"skip", "backcheck-skip", "skip-backcheck"})
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
"""Cell magics whose body is ordinary Python: only the magic line is dropped."""
_HELP = re.compile(r"[\w.]+\?{1,2}")


def load_notebook(path: str) -> Submission:
    """The submission defined by the code cells of the notebook at ``path``."""
    path = os.path.abspath(path)
    submission = Submission(os.path.basename(path), path)
    import nbformat  # here, not at the top: only notebooks pay for importing it

    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as exc:
        submission.error = f"{submission.name} is not a readable notebook: {exc}"
        return submission
    module = new_module(path)
    on_path(os.path.dirname(path))
    compiled, notes = _compile_cells(notebook, path, submission)
    with Guard() as guard:
        ran = units.run(compiled, vars(module), submission.name)
    submission.notes += notes + ran.notes + guard.notes
    submission.failed += ran.failed
    submission.namespace = dict(vars(module))
    return submission


def _compile_cells(notebook, path: str,
                   submission: Submission) -> tuple[list[units.Unit], list[str]]:
    """Compiled code cells and a note for each that does not compile (also listed in
    ``submission.failed``: a layer defined there is not found later)."""
    compiled, notes, name = [], [], submission.name
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        label = f"cell {number + 1}"
        if SKIP_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        try:
            source = translated(python_source(cell.source), f"{name} {label}")
            code = compile_source(source, f"{path} {label}", f"{name} {label}")
        except SourceProblem as problem:
            notes.append(f"{problem}; the other cells still ran")
            submission.failed.append(str(problem).removeprefix(f"{name} "))
            continue
        compiled.append(units.Unit(label, code))
    return compiled, notes


def python_source(source: str) -> str:
    """A cell's source with IPython-only lines blanked (line numbers are kept)."""
    lines = source.splitlines()
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        if first[2:].split(" ")[0] not in PYTHON_CELL_MAGICS:
            return ""
        lines[0] = ""
    return "\n".join("" if _is_ipython(line) else line for line in lines)


def _is_ipython(line: str) -> bool:
    stripped = line.strip()
    if stripped.startswith(("%", "!")) or _HELP.fullmatch(stripped):
        return True
    head, _, tail = stripped.partition("=")
    return bool(tail) and tail.strip().startswith("!") and head.strip().isidentifier()
