"""Report formats by name, each a function of one signature: ``(graded, view) -> str``.

A per-submission report turns a ``Graded`` (the grade and the arrays of its failing
items) and a ``View`` (who reads it, what it was graded with) into the text of one
file. Formats are the built-ins below plus any registered under the
``backcheck.reports`` entry-point group (a function with a ``file_name`` attribute);
a reporter module is imported only when its format is written. ``terminal`` is the one
format printed instead of written (``harness.reports.terminal``).
"""

from __future__ import annotations

import functools
import importlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from harness.errors import BackcheckError

if TYPE_CHECKING:
    from harness.assessment import Graded

TERMINAL = "terminal"
"""The format printed on the terminal rather than written to a file."""

BUILTIN = {
    "json": ("grade.json", "harness.reports.json:report"),
    "gradescope": ("results.json", "harness.reports.gradescope:report"),
    "junit": ("junit.xml", "harness.reports.junit:report"),
    "html": ("report.html", "harness.reports.html:report"),
    "markdown": ("report.md", "harness.reports.markdown:report"),
}
"""Format -> (file name in the output directory, ``module:function`` that renders it)."""

COMPLETION = "json"
"""Written last: its file is the sign that a submission's reports are complete."""


@dataclass(frozen=True)
class View:
    """Who reads a report and what the grade was made with."""

    settings: dict[str, Any] = field(default_factory=dict)
    """Everything the grade depends on besides the submission (``Plan.settings``)."""
    students: bool = False
    """Leave hidden checks' details out (terminal, HTML, Markdown)."""
    hidden: str = "hidden"
    """The Gradescope visibility of the rubric's hidden checks."""

    @classmethod
    def of(cls, plan) -> View:
        """How a ``Plan``'s reports are read: its settings, audience, hidden visibility."""
        return cls(plan.settings(), plan.students, plan.rubric.hidden_visibility)


Report = Callable[["Graded", View], str]


def registered() -> dict[str, tuple[str, str]]:
    """Format -> (file name, ``module:function``), built-ins first, then entry points."""
    return dict(_scan())


@functools.cache
def _scan() -> dict[str, tuple[str, str]]:
    found = dict(BUILTIN)
    for ep in entry_points(group="backcheck.reports"):
        found.setdefault(ep.name, (f"report-{ep.name}.txt", ep.value))
    return found


def formats() -> tuple[str, ...]:
    """Every format ``--format`` accepts."""
    return (TERMINAL, *registered())


def file_name(fmt: str) -> str:
    """The file a format is written to, inside a submission's output directory."""
    return registered()[fmt][0]


def load(fmt: str) -> Report:
    """The function that renders ``fmt``."""
    module, _, attr = registered()[fmt][1].partition(":")
    return getattr(importlib.import_module(module), attr)


def write_reports(graded: Graded, chosen: Iterable[str], out: str, view: View) -> None:
    """Every file format of ``chosen`` into ``out``; ``grade.json`` last."""
    files = sorted(set(chosen) - {TERMINAL}, key=lambda f: f == COMPLETION)
    make_directory(out)
    for fmt in files:
        write_text(os.path.join(out, file_name(fmt)), load(fmt)(graded, view))


def make_directory(path: str) -> None:
    """``mkdir -p path``, or a one-line error naming it."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise BackcheckError(f"cannot create output directory: {exc.strerror or exc}",
                             where=path, hint="choose another --out") from None


def write_text(path: str, text: str) -> None:
    """Write ``text`` atomically (a temporary file renamed), or a one-line error."""
    folder = os.path.dirname(path) or "."
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        raise BackcheckError(f"cannot write report: {exc.strerror or exc}", where=path,
                             hint="choose another --out") from None


__all__ = ["BUILTIN", "COMPLETION", "TERMINAL", "Report", "View", "file_name", "formats",
           "load", "make_directory", "registered", "write_reports", "write_text"]
