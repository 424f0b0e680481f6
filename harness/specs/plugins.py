"""Course layers: a layer an instructor adds with one Python file.

A course file defines, next to its NumPy reference class, ``SPECS`` (a tuple of
:class:`~harness.spec.Spec`) and optionally ``TORCH`` and ``TENSORFLOW``: dicts from a
layer name to a function of ``(*inputs, *params, **config)`` written with that
framework, which the torch and TensorFlow oracles then use. The finite-difference
oracle needs nothing more than the reference. A file is given with ``--spec-file FILE``
(``--backcheck-spec-file`` under pytest), or an installed package names its module in
the ``backcheck.specs`` entry-point group. Either way its specs join ``CATALOG`` and
are checked, cross-checked, reported and graded like the built-in ones.

A file's module is not importable by a sandboxed child or a later process, so each of
its specs is registered with a :class:`FileDraw` in place of its draw function: the
parent calls the real function, a pickled copy only says where it came from (the child
receives cases already drawn), and its ``repr`` carries a digest of the file, so cached
expected values are recomputed whenever the file changes.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import numpy as np

from harness.errors import UsageError
from harness.spec import Draw, Spec

GROUP = "backcheck.specs"
FRAMEWORKS = ("TORCH", "TENSORFLOW")
"""The module-level dicts of oracle expressions a course file may define."""

_EXPRESSIONS: dict[str, dict[str, Callable]] = {name: {} for name in FRAMEWORKS}
_FROM_FILES: dict[str, str] = {}
"""Layer name -> the course file that defined it."""


@dataclass(frozen=True)
class FileDraw:
    """A course file's draw function, picklable without the file.

    ``function`` is ``None`` in a copy unpickled elsewhere (a sandboxed child), which
    never draws: cases are drawn by the parent.
    """

    name: str
    digest: str
    function: Callable | None = field(default=None, compare=False)

    def __call__(self, rng: np.random.Generator, variant: Mapping[str, Any]) -> Draw:
        if self.function is None:
            raise RuntimeError(f"{self.name} draws cases only in the process that loaded it")
        return self.function(rng, variant)

    def __reduce__(self):
        return FileDraw, (self.name, self.digest)

    def __repr__(self) -> str:
        return f"FileDraw({self.name!r}, sha256 {self.digest})"


def expression(layer: str, framework: str) -> Callable | None:
    """The course's ``framework`` (``"TORCH"``, ``"TENSORFLOW"``) function for ``layer``."""
    return _EXPRESSIONS[framework].get(layer)


def from_file(spec: Spec) -> bool:
    """Whether ``spec`` came from a ``--spec-file`` (no other process can import it)."""
    return isinstance(spec.draw, FileDraw)


def load_file(path: str, catalog: dict[str, Spec]) -> list[Spec]:
    """Import the course file at ``path`` and add its specs to ``catalog``.

    Loading the same file again (a second command in one process, every pytest-xdist
    worker) replaces its specs; a name already taken by another layer is an error.
    """
    source = _read(path)
    digest = hashlib.sha256(source).hexdigest()[:16]
    stem = "".join(c if c.isalnum() else "_" for c in os.path.splitext(os.path.basename(path))[0])
    module = _execute(path, f"backcheck_course_{stem}_{digest}")
    where = os.path.abspath(path)
    specs = [replace(s, draw=FileDraw(f"{s.name} in {os.path.basename(path)}", digest, s.draw))
             for s in _specs(module, path)]
    for spec in specs:
        if spec.name in catalog and _FROM_FILES.get(spec.name) != where:
            raise UsageError(f"layer {spec.name!r} is already in the catalog", where=path,
                             hint="give the course layer a name of its own")
    _register(module, specs, catalog, path)
    _FROM_FILES.update(dict.fromkeys((s.name for s in specs), where))
    return specs


def load_entry_points(catalog: dict[str, Spec]) -> list[Spec]:
    """The specs of every module named in the ``backcheck.specs`` entry-point group."""
    loaded = []
    for ep in entry_points(group=GROUP):
        where = f"entry point {ep.name} = {ep.value}"
        try:
            module = importlib.import_module(ep.module)
        except Exception as exc:
            raise UsageError(f"cannot import {ep.module} ({type(exc).__name__}: {exc})",
                             where=where, hint="fix or uninstall the course package") from None
        specs = _specs(module, where)
        clash = [s.name for s in specs if s.name in catalog]
        if clash:
            raise UsageError(f"layer {clash[0]!r} is already in the catalog", where=where,
                             hint="give the course layer a name of its own")
        _register(module, specs, catalog, where)
        loaded += specs
    return loaded


def spec_file_option(catalog: dict[str, Spec]) -> Callable[[str], str]:
    """An argparse ``type`` that loads a course file, so a bad file is one usage line."""

    def load(path: str) -> str:
        try:
            load_file(path, catalog)
        except UsageError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return path

    return load


def load_files(paths: Iterable[str], catalog: dict[str, Spec]) -> None:
    """Every course file in ``paths`` (the pytest plugin's option)."""
    for path in paths:
        load_file(path, catalog)


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read the spec file ({exc.strerror})", where=path,
                         hint="give --spec-file a Python file that defines SPECS") from None


def _execute(path: str, name: str) -> ModuleType:
    """The file as module ``name``, kept in ``sys.modules`` so its reference imports."""
    if name in sys.modules:
        return sys.modules[name]
    location = importlib.util.spec_from_file_location(name, path)
    if location is None or location.loader is None:
        raise UsageError("not a Python file", where=path,
                         hint="give --spec-file a .py file that defines SPECS")
    module = importlib.util.module_from_spec(location)
    sys.modules[name] = module
    try:
        location.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise UsageError(f"the spec file raised {type(exc).__name__}: {exc}", where=path,
                         hint="run it with python to see the traceback") from None
    return module


def _specs(module: ModuleType, where: str) -> list[Spec]:
    """``module.SPECS``, checked enough that a mistake is named here, not mid-grade."""
    specs = getattr(module, "SPECS", None)
    if not isinstance(specs, (list, tuple)) or not specs:
        raise UsageError("defines no SPECS", where=where,
                         hint="add SPECS = (Spec(...),) naming each course layer")
    for spec in specs:
        if not isinstance(spec, Spec):
            raise UsageError(f"SPECS holds a {type(spec).__name__}, not a Spec", where=where,
                             hint="build each layer with harness.spec.Spec")
        unknown = set(spec.wrt) - {*spec.inputs, *spec.params}
        if unknown or not spec.variants:
            problem = f"wrt names {sorted(unknown)}" if unknown else "no variants"
            raise UsageError(f"spec {spec.name!r} has {problem}", where=where,
                             hint="wrt must name inputs or params; give at least one variant")
    return list(specs)


def _register(module: ModuleType, specs: list[Spec], catalog: dict[str, Spec],
              where: str) -> None:
    """Add ``specs`` to ``catalog`` and the module's oracle expressions to the tables."""
    names = {s.name for s in specs}
    for framework in FRAMEWORKS:
        table = getattr(module, framework, {}) or {}
        stray = set(table) - names
        if stray:
            raise UsageError(f"{framework} names {sorted(stray)[0]!r}, which SPECS lacks",
                             where=where, hint="key the expressions by layer name")
        _EXPRESSIONS[framework].update(table)
    catalog.update({s.name: s for s in specs})
