"""Running a submission's top-level code without letting it harm the check.

Submissions do more at import than define layers: they train, plot, print, ask for
input, call ``sys.exit``, or even replace ``np.allclose`` with something that always
says yes. ``Guard`` runs the loading under a non-interactive plotting backend with
output captured and ``input()`` disabled, then notices and undoes any change the
code made to NumPy's functions, and turns each of these into a note.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import sys
import warnings
from types import ModuleType
from typing import Any

import numpy as np

WATCHED = ("numpy", "numpy.testing", "numpy.linalg", "numpy.random")


def _no_input(*_: Any) -> str:
    raise RuntimeError("input() is not available while backcheck loads a submission")


def _no_show(*_: Any, **__: Any) -> None:
    """``plt.show`` while loading: figures are counted and closed, never displayed."""


class Guard:
    """A context that collects ``notes`` about what the loaded code did at import."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self._numpy: dict[str, dict[str, Any]] = {}
        self._output = io.StringIO()
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Guard:
        os.environ["MPLBACKEND"] = "Agg"
        self._numpy = {name: dict(vars(_module(name))) for name in WATCHED}
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
        self._restore_numpy()
        self._close_figures()
        lines = self._output.getvalue().count("\n")
        if lines:
            self.notes.append(f"printed {lines} lines while loading (not shown)")

    def _restore_numpy(self) -> None:
        changed = []
        for name, before in self._numpy.items():
            module = _module(name)
            for key in sorted(k for k, v in before.items() if getattr(module, k, None) is not v):
                setattr(module, key, before[key])
                changed.append(f"{name}.{key}")
        if changed:
            self.notes.append(f"replaced {', '.join(changed)} at import; backcheck restored "
                              "the originals (do not patch NumPy in a submission)")

    def _close_figures(self) -> None:
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is None:
            return
        made = _figure_count() - self._figures
        pyplot.close("all")
        if made > 0:
            self.notes.append(f"made {made} matplotlib figures while loading (not shown)")


def _module(name: str) -> ModuleType:
    module: ModuleType = np
    for part in name.split(".")[1:]:
        module = getattr(module, part)
    return module


def _figure_count() -> int:
    pyplot = sys.modules.get("matplotlib.pyplot")
    return len(pyplot.get_fignums()) if pyplot is not None else 0
