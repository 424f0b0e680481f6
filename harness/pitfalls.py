"""Errors of the environment a person can act on, said in one line.

Old course code meets a newer NumPy or Python 3 and raises something whose text is long
or misleading: ``np.int`` (removed in NumPy 1.24) raises an ``AttributeError`` of seven
lines, and Python 2's integer ``/`` becomes a float that ``range`` or a slice refuses.
``explain`` turns such an exception into one line that says what happened and what to
write instead; where it happened is the ``file:line`` the caller already adds. Every
other exception is left to its own message (``""``).
"""

from __future__ import annotations

import re

REMOVED = {
    "int": ("1.24", "int (or np.int64)"),
    "float": ("1.24", "float (or np.float64)"),
    "bool": ("1.24", "bool (or np.bool_)"),
    "object": ("1.24", "object"),
    "str": ("1.24", "str"),
    "complex": ("1.24", "complex (or np.complex128)"),
    "long": ("1.24", "int (or np.int64)"),
    "unicode": ("1.24", "str"),
    "asscalar": ("1.23", "a.item()"),
    "float_": ("2.0", "np.float64"),
    "complex_": ("2.0", "np.complex128"),
    "NaN": ("2.0", "np.nan"),
    "Inf": ("2.0", "np.inf"),
    "PINF": ("2.0", "np.inf"),
    "NINF": ("2.0", "-np.inf"),
    "product": ("2.0", "np.prod"),
    "cumproduct": ("2.0", "np.cumprod"),
    "alltrue": ("2.0", "np.all"),
    "sometrue": ("2.0", "np.any"),
    "row_stack": ("2.0", "np.vstack"),
    "in1d": ("2.0", "np.isin"),
    "trapz": ("2.0", "np.trapezoid"),
}
"""NumPy names removed from the top-level module: the release that removed them and what
to write instead."""

NUMPY_ATTRIBUTE = re.compile(r"module 'numpy' has no attribute '(\w+)'|`np\.(\w+)` was removed")

PYTHON2_DIVISION = ("slice indices must be integers",
                    "'float' object cannot be interpreted as an integer",
                    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis")
"""The start of what Python and NumPy raise when a float is used as a size or an index."""


def explain(exc: BaseException) -> str:
    """One line for an exception with a known fix (``""`` when there is none)."""
    return next((text for rule in RULES if (text := rule(exc))), "")


def removed_numpy_name(exc: BaseException) -> str:
    """``np.int was removed in NumPy 1.24: use int (or np.int64)``."""
    if not isinstance(exc, AttributeError):
        return ""
    found = NUMPY_ATTRIBUTE.search(str(exc))
    name = found and (found.group(1) or found.group(2))
    if name not in REMOVED:
        return ""
    release, instead = REMOVED[name]
    return f"np.{name} was removed in NumPy {release}: use {instead}"


def python2_division(exc: BaseException) -> str:
    """A float where an integer size or index is needed: most often Python 2's ``/``."""
    if not isinstance(exc, TypeError | IndexError):
        return ""
    text = str(exc)
    if not any(text.startswith(start) for start in PYTHON2_DIVISION):
        return ""
    return f"{text.splitlines()[0]}; looks like Python 2 division: use // for an integer"


RULES = (removed_numpy_name, python2_division)
"""Every known pitfall, tried in order; the first that recognises the exception speaks."""


def describe(exc: BaseException) -> str:
    """``TypeName: message`` with the known fix in place of a long or misleading text."""
    return f"{type(exc).__name__}: {explain(exc) or exc}"
