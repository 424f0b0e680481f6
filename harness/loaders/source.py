"""Reading and compiling a submission's Python source, with the reasons it cannot be.

Students' files are not always clean UTF-8 Python 3: some are saved in Latin-1, some
are empty, some were written for Python 2. Each case becomes a sentence a student can
act on, instead of a bare ``SyntaxError`` or ``UnicodeDecodeError``. An adapter file
may ``translate`` the source first (``translating``): code written for Python 2, say,
ported on the fly so that it loads.
"""

from __future__ import annotations

import contextlib
import io
import linecache
import os
import re
import tokenize
import traceback
from collections.abc import Callable, Iterator
from contextvars import ContextVar

_PY2_HINTS = (
    (re.compile(r"^\s*print\s+[^\s(=.]", re.MULTILINE), "a print statement"),
    (re.compile(r"^\s*except\s+[\w.]+\s*,\s*\w+\s*:", re.MULTILINE), "'except X, e:'"),
    (re.compile(r"\bxrange\s*\(|\bur?'|\.iteritems\(\)|\braw_input\s*\("), "Python 2 built-ins"),
)


Translation = Callable[[str], str]
_TRANSLATION: ContextVar[Translation | None] = ContextVar("translation", default=None)


class SourceProblem(Exception):
    """The source cannot be compiled; the message says why, in one line."""


@contextlib.contextmanager
def translating(translation: Translation | None) -> Iterator[None]:
    """Within the block, every source a loader reads goes through ``translation``."""
    token = _TRANSLATION.set(translation)
    try:
        yield
    finally:
        _TRANSLATION.reset(token)


def translated(text: str, label: str = "") -> str:
    """``text`` as the active translation makes it (unchanged without one); a
    translation that fails is a ``SourceProblem``, since nothing can be loaded then."""
    translation = _TRANSLATION.get()
    return text if translation is None else apply(translation, text, label)


def apply(translation: Translation, text: str, label: str = "") -> str:
    """``translation(text)``, or a ``SourceProblem`` saying where in the adapter file it
    failed (``at python2.py:12``) or what it returned instead of the source."""
    try:
        result = translation(text)
    except Exception as exc:
        raise SourceProblem(f"the adapter file's translate() failed on {label or 'the source'}"
                            f"{_where(translation, exc)}: {type(exc).__name__}: {exc}") from None
    if not isinstance(result, str):
        raise SourceProblem(f"the adapter file's translate() returned "
                            f"{type(result).__name__}, not the source as a str")
    return result


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and a note (``""`` when it was valid UTF-8 or declared).

    An encoding cookie (``# -*- coding: latin-1 -*-``) is honoured; undeclared bytes
    that are not UTF-8 are read as Latin-1, which never fails, and noted.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding), ""
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return data.decode("latin-1"), "is not valid UTF-8; read it as Latin-1"


def compile_source(text: str, filename: str, label: str = "") -> object:
    """``text`` compiled for ``exec``, registered in ``linecache`` so that tracebacks
    and ``inspect.getsource`` can show its lines; ``SourceProblem`` when it cannot be."""
    remember(filename, text)
    try:
        return compile(text, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise SourceProblem(syntax_message(exc, text, label)) from None
    except ValueError as exc:
        raise SourceProblem(f"{label or 'source'} cannot be compiled: {exc}") from None


def syntax_message(exc: SyntaxError, text: str, label: str = "") -> str:
    """``SyntaxError at line 3: ...``, saying so when the code looks like Python 2."""
    where = f"{label} " if label else ""
    message = f"{where}has a SyntaxError at line {exc.lineno}: {exc.msg}"
    return message + python2_note(text)


def _where(translation: Translation, exc: Exception) -> str:
    """`` at python2.py:12``: the last line of the translation's own file the error passed."""
    own = getattr(getattr(translation, "__code__", None), "co_filename", None)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == own]
    return f" at {os.path.basename(own)}:{frames[-1].lineno}" if frames else ""


def python2_note(text: str) -> str:
    """`` (looks like Python 2: ...)`` with what to do, or ``""`` for other code; under a
    translation, that the error is in the source as translate() left it."""
    hint = python2_hint(text)
    if _TRANSLATION.get() is not None:
        left = f"; still Python 2: {hint}, which it does not port" if hint else ""
        return f" (in the source as the adapter file's translate() left it{left})"
    return (f" (looks like Python 2: {hint}; backcheck runs Python 3: port it, or load "
            "it through an adapter file that translates it)") if hint else ""


def active() -> Translation | None:
    """The translation loaders apply now, if any."""
    return _TRANSLATION.get()


def python2_hint(text: str) -> str:
    """What makes ``text`` look like Python 2 code, or ``""``."""
    for pattern, what in _PY2_HINTS:
        if pattern.search(text):
            return what
    return ""


def remember(filename: str, text: str) -> None:
    """Put ``text`` in ``linecache`` under ``filename`` (kept: it has no mtime)."""
    lines = text.splitlines(keepends=True)
    linecache.cache[filename] = (len(text), None, lines, filename)
