"""What a library function's signature says: its arguments' names, and those it cannot
do without.

Every reader asks these of untrusted code (is ``backward(x, top_diff)`` given the input
again? does ``initialize(optimizer)`` want an optimizer?). A function with no signature
to read (a builtin, a C extension) has no arguments known, rather than raising.
"""

from __future__ import annotations

import inspect
from typing import Any

POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def arguments(fn: Any) -> list[str]:
    """The names of ``fn``'s parameters in order, ``self`` left out."""
    if not callable(fn):
        return []
    try:
        return [p for p in inspect.signature(fn).parameters if p != "self"]
    except (TypeError, ValueError):
        return []


def required(fn: Any, *, keywords: bool = False) -> list[str]:
    """The names of the positional arguments ``fn`` cannot do without (``self`` left
    out), and with ``keywords`` its keyword-only ones too."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    kinds = (*POSITIONAL, inspect.Parameter.KEYWORD_ONLY) if keywords else POSITIONAL
    return [p.name for p in params
            if p.name != "self" and p.kind in kinds and p.default is inspect.Parameter.empty]
