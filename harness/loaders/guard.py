"""Running a submission's top-level code without letting it harm the check.

Submissions do more at import than define layers: they train, plot, print, ask for
input, call ``sys.exit``, or even replace ``np.allclose`` with something that always
says yes. ``Guard`` runs the loading under a non-interactive plotting backend with
output captured and ``input()`` disabled, then notices and undoes any change the
code made to NumPy's functions, to the few standard modules backcheck's adapters rely
on, or to backcheck's own modules and classes (``harness.*``), and turns each of these
into a note. ``Snapshot`` is that record of originals: the sandbox's child also
restores it after every case, so a layer that patches backcheck while it runs changes
nothing for the cases after it.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import sys
import warnings
from typing import Any

WATCHED = ("numpy", "numpy.testing", "numpy.linalg", "numpy.random")
"""NumPy modules whose functions a submission might replace; backcheck's own modules
(``harness.*``) and the classes they define are watched too."""
PINNED = {
    "inspect": ("isclass", "isfunction", "ismethod", "signature", "Parameter", "getsource"),
    "builtins": ("callable", "isinstance", "issubclass", "getattr", "hasattr", "setattr",
                 "len", "type", "repr", "str", "int", "float", "bool", "dict", "list",
                 "tuple", "set", "sorted", "any", "all", "zip", "range", "enumerate", "iter",
                 "next", "min", "max", "sum", "abs", "id", "vars", "print"),
}
"""The few standard functions the adapters call, watched one by one: libraries such as
torch patch other parts of these modules on purpose (``inspect.getfile``)."""


def _no_input(*_: Any) -> str:
    raise RuntimeError("input() is not available while backcheck loads a submission")


def _no_show(*_: Any, **__: Any) -> None:
    """``plt.show`` while loading: figures are counted and closed, never displayed."""


class Snapshot:
    """The attributes of watched modules and of backcheck's classes, to put back."""

    def __init__(self) -> None:
        self._modules = {name: sys.modules[name] for name in _watched()}
        self._attributes = {name: _attributes(name, m) for name, m in self._modules.items()}
        self._classes = {f"{name}.{key}": (cls, dict(vars(cls)))
                         for name, m in self._modules.items() if name.startswith("harness")
                         for key, cls in vars(m).items()
                         if isinstance(cls, type) and cls.__module__ == name}

    def restore(self) -> list[str]:
        """Undo every change since the snapshot; the names of what had changed."""
        changed = []
        for name, before in self._attributes.items():
            module = self._modules[name]
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
                changed.append(name)
            now = vars(module)
            for key in sorted(k for k, v in before.items() if now.get(k, _GONE) is not v):
                setattr(module, key, before[key])
                changed.append(f"{name}.{key}")
        for label, (cls, before) in self._classes.items():
            now = vars(cls)
            for key in sorted(k for k in {*before, *now} if now.get(k, _GONE) is not
                              before.get(k, _GONE)):
                if key in before:
                    setattr(cls, key, before[key])
                else:
                    delattr(cls, key)
                changed.append(f"{label}.{key}")
        return changed


_GONE = object()


class Guard:
    """A context that collects ``notes`` about what the loaded code did at import."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.snapshot: Snapshot | None = None
        self._output = io.StringIO()
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Guard:
        os.environ["MPLBACKEND"] = "Agg"
        self.snapshot = Snapshot()
        self._figures = _figure_count()
        stack = self._stack
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        stack.enter_context(contextlib.redirect_stdout(self._output))
        stack.enter_context(contextlib.redirect_stderr(self._output))
        stack.callback(setattr, builtins, "input", builtins.input)
        builtins.input = _no_input
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            stack.callback(setattr, pyplot, "show", pyplot.show)
            pyplot.show = _no_show
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()
        self._restore_modules()
        self._close_figures()
        lines = self._output.getvalue().count("\n")
        if lines:
            self.notes.append(f"printed {lines} lines while loading (not shown)")

    def _restore_modules(self) -> None:
        changed = self.snapshot.restore()
        if changed:
            self.notes.append(f"replaced {', '.join(changed)} at import; backcheck restored "
                              "the originals (do not patch NumPy or backcheck in a submission)")

    def _close_figures(self) -> None:
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is None:
            return
        made = _figure_count() - self._figures
        pyplot.close("all")
        if made > 0:
            self.notes.append(f"made {made} matplotlib figures while loading (not shown)")


def _watched() -> list[str]:
    """NumPy's modules, the pinned standard ones and every loaded module of backcheck."""
    import numpy.linalg
    import numpy.random
    import numpy.testing  # noqa: F401  (imported so that they can be watched)

    return [*WATCHED, *PINNED,
            *(n for n in list(sys.modules) if n == "harness" or n.startswith("harness."))]


def _attributes(name: str, module: Any) -> dict[str, Any]:
    """What of ``module`` to restore: everything, or only its pinned functions."""
    names = vars(module)
    pinned = PINNED.get(name)
    return dict(names) if pinned is None else {k: names[k] for k in pinned if k in names}


def _figure_count() -> int:
    pyplot = sys.modules.get("matplotlib.pyplot")
    return len(pyplot.get_fignums()) if pyplot is not None else 0
