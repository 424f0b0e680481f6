"""The names a submission's own code imports itself by, mapped to the loaded modules.

A directory is loaded under a unique package name (``backcheck_package_1a2b``), but a
library imports itself by its own name (``from tinynet.nn.dense import Linear`` inside
``tinynet/``) and the modules of a plain folder import each other by theirs
(``from layers import Dense``). ``Aliases`` is one import hook that answers those names
with the modules already loaded under the unique name, so ``tinynet.nn.dense`` and the
module backcheck checks are one object: no module runs twice, no class exists twice,
and no installed package of the same name is picked up instead.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType

OWN = frozenset({"harness", "reference", "student_template"})
"""backcheck's own packages: a submission's module of the same name never replaces them."""


class Aliases(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import hook: ``alias`` and ``alias.sub`` are the modules ``unique`` and ``unique.sub``."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> ModuleSpec | None:
        head, _, _ = fullname.partition(".")
        if head not in self.names:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        """The module under its unique name (imported now if it was not yet)."""
        head, dot, rest = spec.name.partition(".")
        return importlib.import_module(self.names[head] + dot + rest)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: ``create_module`` returned a module that already ran."""

    def add(self, alias: str, unique: str) -> None:
        """Answer ``alias`` (and its submodules) with ``unique``; an earlier submission's
        modules cached under ``alias`` are forgotten."""
        for name in [n for n in sys.modules if n == alias or n.startswith(alias + ".")]:
            del sys.modules[name]
        self.names[alias] = unique


HOOK = Aliases()


def install() -> Aliases:
    """The process's one hook, first on ``sys.meta_path`` (before the path finder)."""
    if HOOK in sys.meta_path:
        sys.meta_path.remove(HOOK)
    sys.meta_path.insert(0, HOOK)
    return HOOK


def claimable(name: str) -> bool:
    """Whether a submission may own the top-level module ``name``: not backcheck's, not
    the standard library's, and not a module already imported from an installed package."""
    if not name.isidentifier() or name in OWN or name in sys.stdlib_module_names:
        return False
    cached = sys.modules.get(name)
    if cached is None or name in HOOK.names:
        return True
    origin = getattr(cached, "__file__", None) or ""
    return "site-packages" not in origin and not origin.startswith(sys.base_prefix + os.sep)


def own_names(directory: str, package: bool) -> list[str]:
    """The names the code in ``directory`` may import itself by: the directory's own name
    (``tinynet``) and, for a plain folder, each of its modules and subpackages."""
    names = [os.path.basename(directory)]
    if not package:
        for entry in sorted(os.listdir(directory)):
            stem, ext = os.path.splitext(entry)
            if ext == ".py" or os.path.isfile(os.path.join(directory, entry, "__init__.py")):
                names.append(stem if ext == ".py" else entry)
    return [n for n in dict.fromkeys(names) if claimable(n)]


def unwrap(namespace: dict[str, object]) -> dict[str, object]:
    """``namespace`` with each module named like a class it defines replaced by that class.

    A library with one module per class (``Conv1d.py`` defining ``class Conv1d``) binds
    the *module* to ``Conv1d`` in its package when the module is imported
    (``import Conv1d``, or a package whose ``__init__`` does not re-export the class);
    the layer is the class.
    """
    for key, value in list(namespace.items()):
        inner = getattr(value, key, None) if isinstance(value, ModuleType) else None
        if isinstance(inner, type):
            namespace[key] = inner
    return namespace
