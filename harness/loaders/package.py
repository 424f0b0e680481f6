"""Loading a directory (a package, or a folder of modules) or an importable module name.

A directory is imported under a unique name, so a student's copy of
``student_template/`` is never confused with the installed one, and its relative
imports (``from .helpers import im2col``) work. Every module in it is imported; one
that fails to import is noted and the others are still checked. Under an adapter file's
``translate``, the directory's own modules are imported through it.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import pkgutil
import sys
import traceback
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from harness import pitfalls
from harness.loaders import aliases, source, units
from harness.loaders.file import on_path
from harness.loaders.guard import Guard
from harness.loaders.source import SourceProblem, python2_note
from harness.submission import Submission

SKIPPED = ("setup", "conftest")
"""Module names that are never part of a submission's layers."""
TEST_PACKAGES = ("test", "tests", "testing")
"""Subpackages that hold a library's tests, not its layers."""


def load_directory(path: str) -> Submission:
    """The submission made of every module in the directory ``path``."""
    path = os.path.abspath(path.rstrip("/\\") or path)
    submission = Submission(os.path.basename(path) + "/", path)
    on_path(path)
    with Guard() as guard, _translated_imports(path):
        package = _package(path, submission)
        modules = [package, *_submodules(package, submission)]
    submission.notes += guard.notes
    submission.namespace = merged(modules)
    return submission


def load_module(name: str) -> Submission:
    """The submission importable as ``name`` (``reference``, ``mylib.layers``)."""
    submission = Submission(name, name)
    with Guard() as guard:
        try:
            module = importlib.import_module(name)
        except (Exception, SystemExit) as exc:
            submission.error = failure(name, exc)
            return submission
        modules = [module, *_submodules(module, submission)]
    submission.path = getattr(module, "__file__", None) or name
    submission.notes += guard.notes
    submission.namespace = merged(modules)
    return submission


def is_module(name: str) -> bool:
    """Whether ``name`` can be imported (the current directory included)."""
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def merged(modules: list[ModuleType]) -> dict[str, Any]:
    """Public names of the submodules, then everything of the package itself on top; a
    module named like its class stands for the class (``aliases.unwrap``)."""
    namespace: dict[str, Any] = {}
    for module in modules[1:]:
        namespace.update({k: v for k, v in vars(module).items() if not k.startswith("_")})
    if modules:
        namespace.update(vars(modules[0]))
    return aliases.unwrap(namespace)


def failure(name: str, exc: BaseException) -> str:
    """One line on why module ``name`` failed to import (an exit or ``MemoryError``
    says where, and that the rest of the module did not run)."""
    if isinstance(exc, SystemExit | MemoryError):
        line = _line(exc)
        place = f"at line {line}" if line else "at import"
        return units.ending(name, exc, place, "the rest of it did not run")
    if isinstance(exc, ModuleNotFoundError):
        return f"{name} needs module {exc.name!r}, which is not installed here"
    if isinstance(exc, SourceProblem):
        return str(exc)
    if isinstance(exc, SyntaxError):
        return (f"{name} has a SyntaxError at {os.path.basename(exc.filename or '')}:"
                f"{exc.lineno}: {exc.msg}{python2_note(exc.text or '')}")
    return f"{name} raised {pitfalls.describe(exc)}"


def not_imported(name: str, note: str) -> str:
    """A module's ``failure`` note as a ``Submission.failed`` entry:
    ``conv.py failed to import: needs module 'scipy', which is not installed here``."""
    return f"{name} failed to import: {note.removeprefix(name + ' ')}"


def _line(exc: BaseException) -> int | None:
    """The line of the innermost frame of the traceback (where the module stopped)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return frames[-1].lineno if frames else None


def _package(path: str, submission: Submission) -> ModuleType:
    """The directory as a uniquely named package (its ``__init__`` run, if any), which
    its own code may also import by the names of ``aliases.own_names``."""
    name = f"backcheck_package_{uuid.uuid4().hex[:8]}"
    init = os.path.join(path, "__init__.py")
    hook = aliases.install()
    for alias in aliases.own_names(path, package=os.path.isfile(init)):
        hook.add(alias, name if alias == os.path.basename(path) else f"{name}.{alias}")
    if not os.path.isfile(init):
        module = ModuleType(name)
        module.__path__ = [path]
        sys.modules[name] = module
        return module
    loader = Translating(name, init) if source.active() else None
    spec = importlib.util.spec_from_file_location(name, init, loader=loader,
                                                  submodule_search_locations=[path])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:
        note = failure("__init__.py", exc)
        submission.notes.append(note + "; loading its modules one by one")
        submission.failed.append(not_imported("__init__.py", note))
    return module


def _submodules(package: ModuleType, submission: Submission,
                where: str = "") -> list[ModuleType]:
    """Every module of ``package`` and of its subpackages (a library's ``src/`` with
    ``layers/`` and ``activation/`` beside each other), each imported alone; tests and
    ``setup.py`` are left out. ``where`` is the subpackage's folder, for the notes."""
    found = []
    for info in pkgutil.iter_modules(getattr(package, "__path__", None) or []):
        if _skipped(info.name, info.ispkg):
            continue
        try:
            module = importlib.import_module(f"{package.__name__}.{info.name}")
        except (Exception, SystemExit) as exc:
            label = f"{where}{info.name}.py"
            note = failure(label, exc)
            submission.notes.append(note)
            submission.failed.append(not_imported(label, note))
            continue
        found.append(module)
        if info.ispkg:
            found += _submodules(module, submission, f"{where}{info.name}/")
    return found


def _skipped(name: str, package: bool) -> bool:
    """``setup``, ``conftest``, test modules and test packages: never layers."""
    if package:
        return name in TEST_PACKAGES
    return name in SKIPPED or name.startswith("test_") or name.endswith("_test")


class Translating(importlib.machinery.SourceFileLoader):
    """A module's source compiled as the active translation makes it, never from or to
    a bytecode cache (a cached translation must not outlive it)."""

    def get_code(self, fullname: str) -> Any:
        path = self.get_filename(fullname)
        text, _ = source.decode(self.get_data(path))
        return compile(source.translated(text, os.path.basename(path)), path, "exec",
                       dont_inherit=True)


class _Finder(importlib.abc.MetaPathFinder):
    """The folder's own modules, found as Python finds them and loaded ``Translating``."""

    def __init__(self, folder: str):
        self.folder = folder

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        origin = getattr(spec, "origin", None) or ""
        if not origin.endswith(".py") or not origin.startswith(self.folder + os.sep):
            return None
        spec.loader = Translating(fullname, origin)
        return spec


@contextlib.contextmanager
def _translated_imports(folder: str) -> Iterator[None]:
    """While a translation is active, the modules of ``folder`` import through it."""
    if source.active() is None:
        yield
        return
    finder = _Finder(folder)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
