"""Loading one ``.py`` file as a module, statement by statement.

The file's own directory is put on ``sys.path`` so that ``import helpers`` of a file
next to it works. Each top-level statement runs on its own: a statement that fails
(a missing module, a crashing training loop) is noted and the definitions around it
are still checked.
"""

from __future__ import annotations

import os
import sys
import uuid
from types import ModuleType

from harness.loaders import aliases, units
from harness.loaders.guard import Guard
from harness.loaders.source import SourceProblem, compile_source, decode, translated
from harness.submission import Submission

OWN = aliases.OWN


def load_file(path: str) -> Submission:
    """The submission defined by the Python file at ``path``."""
    path = os.path.abspath(path)
    submission = Submission(os.path.basename(path), path)
    with open(path, "rb") as handle:
        text, note = decode(handle.read())
    if note:
        submission.notes.append(f"{submission.name} {note}")
    if not text.strip():
        submission.error = f"{submission.name} is empty"
        return submission
    try:
        text = translated(text, submission.name)
        compile_source(text, path, submission.name)
    except SourceProblem as problem:
        submission.error = str(problem)
        return submission
    module = new_module(path)
    on_path(os.path.dirname(path))
    with Guard() as guard:
        ran = units.run(units.statements(text, path), vars(module), submission.name)
    submission.notes += ran.notes + guard.notes
    submission.failed += ran.failed
    submission.namespace = aliases.unwrap(dict(vars(module)))
    return submission


def new_module(path: str) -> ModuleType:
    """An empty module with a unique name, registered in ``sys.modules``.

    Registered so that classes defined in it can be pickled and inspected, and unique
    so that two submissions in one process never share a module.
    """
    name = f"backcheck_submission_{uuid.uuid4().hex[:8]}"
    module = ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module
    return module


def on_path(directory: str) -> None:
    """Make ``directory`` importable (first, so the submission's helpers win).

    A module of the same name cached from another directory (an earlier submission's
    ``helpers.py``) is forgotten, so ``import helpers`` finds this submission's own.
    """
    if directory in sys.path:
        sys.path.remove(directory)
    sys.path.insert(0, directory)
    for name in list(sys.modules):
        if "." not in name and name not in OWN and _shadowed(sys.modules[name], name, directory):
            del sys.modules[name]


def _shadowed(module: ModuleType | None, name: str, directory: str) -> bool:
    """Whether ``directory`` has its own ``name`` that a cached module would hide."""
    cached = getattr(module, "__file__", None)
    if not cached or _installed(cached) or os.path.dirname(os.path.abspath(cached)) == directory:
        return False
    own = os.path.join(directory, name)
    return os.path.isfile(own + ".py") or os.path.isfile(os.path.join(own, "__init__.py"))


def _installed(path: str) -> bool:
    """Part of Python or an installed package: never evicted for a submission's file."""
    path = os.path.abspath(path)
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    return "site-packages" in path or any(path.startswith(r + os.sep) for r in roots)
