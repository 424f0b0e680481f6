"""Calling code under test: fresh copies in, NumPy out, exceptions turned into data.

Every adapter goes through these helpers, so the code under test never sees an array
backcheck keeps (it may mutate what it gets), torch tensors come back as NumPy, and
an exception becomes a ``RunError`` naming the line of the submission that raised.

Because every adapter passes the case's arrays through ``fresh`` (or ``watch``, when it
converts them to another layout) and calls the library through ``call``, this is also
where the contract probes of ``harness.adapters.probes`` look: while a ``Recording`` is
active, each array handed out for one of the case's inputs or its upstream gradient is
watched, and after every call the ones the library changed in place are kept, as the
call left them. An adapter written by anyone gets the probes without writing anything.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from harness import pitfalls
from harness.case import Case
from harness.outcome import RunError

_HARNESS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UPSTREAM = "dout"
"""The name under which the upstream gradient is watched."""


class CallFailed(Exception):
    """The code under test raised, or returned something unusable."""

    def __init__(self, error: RunError):
        super().__init__(str(error))
        self.error = error


@dataclass
class Watched:
    """One array handed to the library: ours, the object it got, and how to read it back."""

    name: str
    original: np.ndarray
    passed: Any
    back: Callable[[Any], Any]
    make: Callable[[np.ndarray], Any]


@dataclass
class Recording:
    """What the library did to the arrays of one run of a runner on ``case``.

    ``changed`` maps an input name (or ``dout``) to the number of the call after which
    it was first seen changed and its value then, in backcheck's layout. With
    ``decoy`` set, the first call that receives one of the case's inputs is made twice:
    first with the decoy inputs in their place, then as asked (the stale-cache probe).
    """

    case: Case
    decoy: dict[str, np.ndarray] | None = None
    watched: list[Watched] = field(default_factory=list)
    changed: dict[str, tuple[int, np.ndarray]] = field(default_factory=dict)
    calls: int = 0
    doubled: bool = False

    def name_of(self, value: Any) -> str | None:
        """The case's name for ``value`` if it is one of the case's own arrays."""
        if value is self.case.upstream:
            return UPSTREAM
        return next((n for n, v in self.case.inputs.items() if v is value), None)

    def look(self) -> None:
        """After a call: note every watched array changed since it was handed out."""
        self.calls += 1
        for item in self.watched:
            if item.name in self.changed:
                continue
            now = _as_array(item.back(to_numpy(item.passed)))
            if now is not None and _differs(item.original, now):
                self.changed[item.name] = (self.calls, now.copy())

    def decoyed(self, args: tuple, kwargs: dict) -> tuple[tuple, dict] | None:
        """``args`` and ``kwargs`` with each watched input replaced by its decoy, the first
        time a call receives one; ``None`` otherwise."""
        if self.decoy is None or self.doubled:
            return None
        inputs = {id(w.passed): w for w in self.watched if w.name in self.decoy}
        if not any(id(a) in inputs for a in (*args, *kwargs.values())):
            return None
        self.doubled = True

        def swap(value: Any) -> Any:
            item = inputs.get(id(value))
            return value if item is None else item.make(self.decoy[item.name])

        return tuple(swap(a) for a in args), {k: swap(v) for k, v in kwargs.items()}


_recording: list[Recording] = []
"""The active recording, if any (a stack: a probe never nests, but stays correct if it did)."""


@contextmanager
def recording(case: Case, decoy: dict[str, np.ndarray] | None = None) -> Iterator[Recording]:
    """Watch what the code under test does to ``case``'s arrays while the block runs."""
    rec = Recording(case, decoy)
    _recording.append(rec)
    try:
        yield rec
    finally:
        _recording.remove(rec)


def restart() -> None:
    """Forget what the active recording has seen: a runner that tries again (a dropout,
    until the library's mask covers the case's) is observed on its last try alone, so
    an upstream gradient changed by a backward reads as changed by the backward."""
    if _recording:
        _recording[-1].watched.clear()
        _recording[-1].changed.clear()


def fresh(value: Any) -> Any:
    """A private copy of an array (so mutation by the callee cannot leak back).

    A copy of one of the case's inputs or of its upstream gradient is watched for
    in-place changes while a ``Recording`` is active.
    """
    if not isinstance(value, np.ndarray):
        return value
    copy = value.copy()
    name = _recording[-1].name_of(value) if _recording else None
    if name is not None:
        watch(name, value, copy)
    return copy


def watch(name: str, original: np.ndarray, passed: Any,
          back: Callable[[Any], Any] | None = None,
          make: Callable[[np.ndarray], Any] | None = None) -> Any:
    """Watch ``passed``, the library's copy of the case's ``name`` (an input or ``dout``).

    For an adapter that converts arrays to the library's layout: ``back`` turns what the
    library holds into backcheck's layout (default: as is), ``make`` builds the library's
    form of another array of ours (default: a copy). Returns ``passed``.
    """
    if _recording:
        _recording[-1].watched.append(Watched(name, original, passed, back or _same,
                                              make or np.copy))
    return passed


def call(what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, with any ``Exception`` raised as ``CallFailed``.

    ``NotImplementedError`` means the student has not written this part yet.
    """
    rec = _recording[-1] if _recording else None
    decoyed = rec.decoyed(args, kwargs) if rec is not None else None
    try:
        if decoyed is not None:
            _invoke(what, fn, *decoyed[0], **decoyed[1])
        return _invoke(what, fn, *args, **kwargs)
    finally:
        if rec is not None:
            rec.look()


def _invoke(what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as exc:
        raise CallFailed(RunError("not-implemented", f"{what} is not implemented",
                                  location(exc))) from None
    except Exception as exc:
        message = f"{what} raised {pitfalls.describe(exc)}"
        raise CallFailed(RunError("exception", message, location(exc))) from None


def location(exc: BaseException) -> str:
    """``file:line`` of the innermost frame outside backcheck and the libraries."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if _is_submission(f.filename)]
    if not mine:
        return ""
    frame = mine[-1]
    return f"{os.path.basename(frame.filename)}:{frame.lineno}"


def _is_submission(filename: str) -> bool:
    path = os.path.abspath(filename)
    return not (
        path.startswith(_HARNESS_DIR)
        or "site-packages" in path
        or filename.startswith("<frozen")
        or "/lib/python" in path
    )


def to_numpy(value: Any) -> Any:
    """torch tensors (and anything with ``__array__``) as NumPy; other values unchanged."""
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    if isinstance(value, np.ndarray | np.generic) or not hasattr(value, "__array__"):
        return value
    return np.asarray(value)


def _same(value: Any) -> Any:
    return value


def _as_array(value: Any) -> np.ndarray | None:
    return value if isinstance(value, np.ndarray) else None


def _differs(before: np.ndarray, after: np.ndarray) -> bool:
    """Whether ``after`` is not ``before`` element for element (NaN equals NaN)."""
    return after.shape == before.shape and bool(np.any(changed(before, after)))


def changed(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Element-wise: where ``after`` differs from ``before`` (NaN equals NaN)."""
    before, after = np.asarray(before), np.asarray(after)
    with np.errstate(invalid="ignore"):
        same = np.asarray(after == before)
    if before.dtype.kind in "fc" and after.dtype.kind in "fc":
        same |= np.isnan(after) & np.isnan(before)
    return ~same
