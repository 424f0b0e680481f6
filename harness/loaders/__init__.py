"""Loading a submission from whatever a student or a library hands in.

One loader per kind of source: a ``.py`` file (:mod:`.file`), a directory or an
importable module name (:mod:`.package`), a Jupyter notebook (:mod:`.notebook`) and a
``.zip`` of any of these (:mod:`.archive`). Every loader returns a ``Submission``:
problems of the submission itself (a syntax error, a cell that raises, a missing
module) are its ``error`` or ``notes`` and are graded; a path that does not exist or
is of a kind backcheck cannot read is a ``BackcheckError`` (bad input, exit 3).
A folder with a ``backcheck.toml`` is a program in another language (:mod:`.program`).
"""

from __future__ import annotations

import os

from harness.errors import BackcheckError
from harness.loaders.archive import load_archive
from harness.loaders.file import load_file
from harness.loaders.notebook import load_notebook
from harness.loaders.package import is_module, load_directory, load_module
from harness.loaders.program import is_program, load_program
from harness.submission import Submission

SUFFIXES = {".py": load_file, ".ipynb": load_notebook}

__all__ = ["load", "load_archive", "load_directory", "load_file", "load_module",
           "load_notebook", "load_program"]


def load(target: str) -> Submission:
    """The submission at ``target``: a file, notebook, zip, directory or module name."""
    if is_program(target):
        return load_program(target)
    if os.path.isdir(target):
        notebook = _lone_notebook(target)
        return load_notebook(notebook) if notebook else load_directory(target)
    if os.path.isfile(target):
        return _load_path(target)
    if _looks_like_module(target) and is_module(target):
        return load_module(target)
    raise BackcheckError("no such file, directory or module", where=target,
                         hint="give a .py file, a notebook, a .zip, a directory or a module name")


def _load_path(path: str) -> Submission:
    suffix = os.path.splitext(path)[1].lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix](path)
    if suffix == ".zip":
        return load_archive(path, load)
    raise BackcheckError(f"cannot check a {suffix or 'extension-less'} file", where=path,
                         hint="give a .py file, a .ipynb notebook, a .zip or a directory")


def _looks_like_module(target: str) -> bool:
    return all(part.isidentifier() for part in target.split("."))


def _lone_notebook(directory: str) -> str | None:
    """The only notebook of a folder that has no Python module, if that is what it is."""
    entries = os.listdir(directory)
    if any(e.endswith(".py") for e in entries):
        return None
    notebooks = [e for e in entries if e.endswith(".ipynb")]
    return os.path.join(directory, notebooks[0]) if len(notebooks) == 1 else None
