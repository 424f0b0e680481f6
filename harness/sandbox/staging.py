"""A private working copy of the submission that the sandbox user can read.

Submissions often sit in directories only root can enter (pytest's ``tmp_path``, an
instructor's 0700 folder), while the worker runs as ``nobody``. The parent copies the
target (a file, or a package directory with its symlinks left as links), any
``--adapter-file`` with the Python modules and packages beside it (its helpers), and
every ``--path`` folder into a fresh directory owned by ``nobody``, which is also the
worker's current and home directory, and removes it afterwards. Every copy is
read-only to the worker. The directory's name
carries the grading process's pid, so one left by a grader killed with ``kill -9`` is
recognised and removed by ``sweep`` on the next run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from harness.errors import BackcheckError
from harness.lifetime import owner_gone
from harness.sandbox.confinement import NOBODY
from harness.target import Target

MAX_COPY_BYTES = 256 * 2**20
PREFIX = "backcheck-sandbox-"


@contextmanager
def staged(target: Target) -> Iterator[tuple[Target, str]]:
    """``target`` rewritten to point into a fresh working directory, and that directory."""
    workdir = os.path.realpath(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    try:
        path = _copy(target.path, workdir, "submission")
        adapter_file = target.adapter_file and _copy_adapter(target.adapter_file, workdir)
        folders = tuple(_copy(folder, workdir, f"path-{n}")
                        for n, folder in enumerate(target.import_paths))
        if os.geteuid() == 0:
            os.chown(workdir, NOBODY, NOBODY)
        os.chmod(workdir, 0o700)
        yield replace(target, path=path, adapter_file=adapter_file,
                      import_paths=folders), workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _copy(path: str, workdir: str, role: str) -> str:
    """A readable copy of ``path`` under ``workdir/role``; module names stay as they are."""
    if not os.path.exists(path):
        return path
    source = os.path.abspath(path.rstrip("/") or path)
    folder = os.path.join(workdir, role)
    os.makedirs(folder, mode=0o755)
    dest = os.path.join(folder, os.path.basename(source))
    if os.path.isdir(source):
        _check_size(source)
        shutil.copytree(source, dest, symlinks=True)
    else:
        shutil.copyfile(source, dest)
    _open_up(folder)
    return dest


def _copy_adapter(path: str, workdir: str) -> str:
    """The adapter file and its helpers (the ``.py`` files and packages beside it)."""
    dest = _copy(path, workdir, "adapter")
    if not os.path.isfile(path):
        return dest
    folder, here = os.path.dirname(os.path.abspath(path)), os.path.dirname(dest)
    for entry in os.listdir(folder):
        source = os.path.join(folder, entry)
        if entry.endswith(".py") and os.path.isfile(source) and entry != os.path.basename(dest):
            shutil.copyfile(source, os.path.join(here, entry))
        elif os.path.isfile(os.path.join(source, "__init__.py")):
            _check_size(source)
            shutil.copytree(source, os.path.join(here, entry), symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
    _open_up(here)
    return dest


def _check_size(source: str) -> None:
    total = 0
    for root, _, files in os.walk(source):
        total += sum(os.lstat(os.path.join(root, f)).st_size for f in files)
        if total > MAX_COPY_BYTES:
            raise BackcheckError(f"submission is larger than {MAX_COPY_BYTES // 2**20} MB",
                                 where=source, hint="remove data files from the submission")


def _open_up(folder: str) -> None:
    """Directories 0755 and files 0644, so the sandbox user can read but not change them."""
    os.chmod(folder, 0o755)
    for root, dirs, files in os.walk(folder):
        for names, mode in ((dirs, 0o755), (files, 0o644)):
            for name in names:
                path = os.path.join(root, name)
                if not os.path.islink(path):
                    os.chmod(path, mode)


def sweep(folder: str | None = None) -> list[str]:
    """Remove the staging directories whose grading process has gone; those removed."""
    folder = folder or tempfile.gettempdir()
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    stale = [os.path.join(folder, n) for n in names if owner_gone(n, PREFIX)]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale

