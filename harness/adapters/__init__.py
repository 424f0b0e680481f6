"""Adapters by name: built-ins, the ``backcheck.adapters`` entry points, or a local file.

``choose`` picks the adapter for a submission: the one named with ``--adapter``, the
one defined in ``--adapter-file``, or the single adapter that recognizes the most
layers. When two adapters tie, detection refuses to guess and says which matched,
unless one of them explicitly defers to the other (``defers_to``).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import os
import traceback
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any

from harness.adapters import conventions
from harness.adapters.contract import Adapter, Detection, Runner
from harness.adapters.conventions import Conventions
from harness.errors import BackcheckError, UsageError

BUILTIN = {
    "native": "harness.adapters.native:NativeAdapter",
    "cs231n": "harness.adapters.cs231n:CS231nAdapter",
    "columnar": "harness.adapters.columnar:ColumnarAdapter",
    "book": "harness.adapters.book:BookAdapter",
    "sgd": "harness.adapters.sgd:SGDAdapter",
    "classes": "harness.adapters.classes:ClassesAdapter",
    "protocol": "harness.adapters.protocol:ProtocolAdapter",
}

__all__ = ["BUILTIN", "Adapter", "Conventions", "Detection", "Runner", "choose", "from_file",
           "load", "registered"]


def registered() -> dict[str, str]:
    """Adapter name -> ``module:Class``, built-ins first, then entry points."""
    return dict(_scan())


@functools.cache
def _scan() -> dict[str, str]:
    """Built-ins and entry points, read once: installed plugins do not change mid-run."""
    found = dict(BUILTIN)
    for ep in entry_points(group="backcheck.adapters"):
        found.setdefault(ep.name, ep.value)
    return found


def load(name: str) -> Adapter:
    """The adapter registered as ``name``; ``name:key=value,...`` declares conventions.

    ``classes:loss_grad=sum,bias=column`` builds the ``classes`` adapter with those
    ``Conventions`` (only adapters whose constructor takes conventions accept options).
    """
    name, _, options = name.partition(":")
    table = registered()
    if name not in table:
        raise UsageError(f"unknown adapter {name!r}", hint=f"valid: {', '.join(table)}")
    module, _, attr = table[name].partition(":")
    factory = getattr(importlib.import_module(module), attr)
    if not options:
        return factory()
    if "conventions" not in inspect.signature(factory).parameters:
        raise UsageError(f"adapter {name!r} takes no options",
                         hint="options apply to classes, sgd, cs231n and columnar")
    declared = conventions.parse(options)
    ignored = conventions.unread(declared, name)
    if ignored:
        raise UsageError(f"adapter {name!r} does not read option {ignored[0]}",
                         hint=f"it reads {', '.join(conventions.READS[name])}")
    return factory(declared)


def from_file(path: str) -> Adapter:
    """The adapter defined in a local Python file as a module-level ``ADAPTER`` object.

    The file's folder is importable, so a helper module beside it (``import mylib_glue``)
    works; the sandbox copies those helpers with it (``harness.sandbox.staging``). An
    error while importing names the file and line where it happened, the helper's when
    it was the helper.
    """
    from harness.loaders.file import on_path

    path = os.path.abspath(path)
    spec = importlib.util.spec_from_file_location("backcheck_local_adapter", path)
    if spec is None or spec.loader is None:
        raise BackcheckError("cannot import adapter file", where=path)
    module = importlib.util.module_from_spec(spec)
    on_path(os.path.dirname(path))
    try:
        spec.loader.exec_module(module)
    except FileNotFoundError:
        raise BackcheckError("adapter file not found", where=path) from None
    except Exception as exc:
        raise _import_failure(path, exc) from None
    adapter = getattr(module, "ADAPTER", None)
    if adapter is None:
        raise BackcheckError("adapter file defines no ADAPTER", where=path,
                             hint="add ADAPTER = YourAdapter() at module level")
    return adapter


def _import_failure(path: str, exc: Exception) -> BackcheckError:
    """``adapter file failed to import: NameError: ...`` where it failed: the adapter
    file's line, or the helper module's (``glue.py:3``) when it was the helper, rather
    than a line of backcheck's own that it called (``builtin("clases")``)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return BackcheckError(f"adapter file failed to import: SyntaxError: {exc.msg}",
                              where=f"{exc.filename}:{exc.lineno}")
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not f.filename.startswith("<") and f.filename != __file__]
    theirs = [f for f in frames if os.path.dirname(f.filename) == os.path.dirname(path)]
    frames = theirs or frames
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else path
    if isinstance(exc, ModuleNotFoundError):
        return BackcheckError(f"adapter file needs module {exc.name!r}, which is neither "
                              "installed nor beside the adapter file", where=where,
                              hint="put the helper module in the adapter file's folder, or "
                                   "add its folder with --path")
    return BackcheckError(f"adapter file failed to import: {type(exc).__name__}: {exc}",
                          where=where)


def choose(namespace: Mapping[str, Any], name: str | None = None,
           adapter: Adapter | None = None) -> tuple[Adapter, Detection]:
    """The adapter to use for ``namespace`` and its detection evidence: ``adapter``
    (an adapter file's, loaded before the submission it may translate), the one named
    ``name``, or the one detected."""
    if adapter is not None:
        return adapter, adapter.detect(namespace)
    if name:
        adapter = load(name)
        return adapter, adapter.detect(namespace)
    return _detect(namespace)


def _detect(namespace: Mapping[str, Any]) -> tuple[Adapter, Detection]:
    """The adapter recognizing the most layers.

    An adapter may name, in ``defers_to``, more specific adapters that read the same
    code (``classes`` also reads native layers): a tie with one of those is no tie.
    """
    candidates = [load(n) for n in registered()]
    scored = [(a, a.detect(namespace)) for a in candidates]
    best = max(len(d.layers) for _, d in scored)
    if best == 0:
        tried = "; ".join(f"{a.name}: {d.evidence}" for a, d in scored)
        adapter, _ = scored[0]
        return adapter, Detection(adapter.name, (), f"no adapter recognized a layer ({tried})")
    top = [(a, d) for a, d in scored if len(d.layers) == best]
    tied = {a.name for a, _ in top}
    top = [(a, d) for a, d in top if not tied & set(getattr(a, "defers_to", ()))]
    if len(top) > 1:
        matched = "; ".join(f"{a.name}: {d.evidence}" for a, d in top)
        raise UsageError(f"more than one adapter matches {best} layers ({matched})",
                         hint="choose one with --adapter NAME")
    return top[0]
