"""Calling code under test: fresh copies in, NumPy out, exceptions turned into data.

Every adapter goes through these helpers, so the code under test never sees an array
backcheck keeps (it may mutate what it gets), torch tensors come back as NumPy, and
an exception becomes a ``RunError`` naming the line of the submission that raised.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

from harness.outcome import RunError

_HARNESS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CallFailed(Exception):
    """The code under test raised, or returned something unusable."""

    def __init__(self, error: RunError):
        super().__init__(str(error))
        self.error = error


def fresh(value: Any) -> Any:
    """A private copy of an array (so mutation by the callee cannot leak back)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    return value


def call(what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, with any ``Exception`` raised as ``CallFailed``.

    ``NotImplementedError`` means the student has not written this part yet.
    """
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as exc:
        raise CallFailed(RunError("not-implemented", f"{what} is not implemented",
                                  location(exc))) from None
    except Exception as exc:
        message = f"{what} raised {type(exc).__name__}: {exc}"
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
