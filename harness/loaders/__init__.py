"""Loading a submission from a path or a dotted module name."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import uuid

from harness.errors import BackcheckError
from harness.submission import Submission


def load(target: str) -> Submission:
    """The submission at ``target``: a ``.py`` file, a package directory, a module name."""
    if os.path.isfile(target) and target.endswith(".py"):
        return _load_file(target)
    if os.path.isdir(target):
        return _load_package(target)
    if _is_module(target):
        return _from_module(target, importlib.import_module(target))
    raise BackcheckError("no such file, directory or module", where=target,
                         hint="give a .py file, a package directory or a module name")


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _load_file(path: str) -> Submission:
    name = f"backcheck_submission_{uuid.uuid4().hex[:8]}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    submission = Submission(os.path.basename(path), os.path.abspath(path))
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        submission.error = f"{type(exc).__name__}: {exc}"
    submission.namespace = dict(vars(module))
    return submission


def _load_package(path: str) -> Submission:
    parent, package = os.path.split(os.path.abspath(path.rstrip("/")))
    sys.path.insert(0, parent)
    return _from_module(package, importlib.import_module(package))


def _from_module(name: str, module) -> Submission:
    namespace = {}
    for sub in _submodules(module):
        namespace.update({k: v for k, v in vars(sub).items() if not k.startswith("_")})
    namespace.update(vars(module))
    return Submission(name, getattr(module, "__file__", "") or name, namespace)


def _submodules(module) -> list:
    path = getattr(module, "__path__", None)
    if not path:
        return []
    import pkgutil

    return [importlib.import_module(f"{module.__name__}.{info.name}")
            for info in pkgutil.iter_modules(path)]
