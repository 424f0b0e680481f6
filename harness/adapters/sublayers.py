"""Parameters a layer keeps on a layer object of its own.

CMU 11-785's strided convolution is a ``Conv1d_stride1`` (which holds ``W``, ``b``,
``dLdW``, ``dLdb``) followed by a ``Downsample1d``; its transposed convolution an
``Upsample1d`` followed by the stride-1 convolution. The outer class has no parameter
of its own: they, and their gradients, live one attribute down.

Only one level is searched, and only when exactly one sub-layer holds the parameter:
a layer composed of two resampling steps and one parameterized step is what a course
asks for, while deeper nesting or two sub-layers with a ``W`` each is a network, whose
parameters belong to several layers that one catalog case cannot fill.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from harness.adapters import names


def holder(obj: Any, aliases: Iterable[str]) -> tuple[Any, str] | None:
    """The one sub-layer of ``obj`` holding an array under one of ``aliases``, and that
    alias; ``None`` when none does or several do."""
    aliases = tuple(aliases)
    found = []
    for value in _sublayers(obj):
        attr = next((a for a in aliases if _is_array(value, a)), None)
        if attr is not None:
            found.append((value, attr))
    return found[0] if len(found) == 1 else None


def _sublayers(obj: Any) -> list[Any]:
    """Attributes of ``obj`` that are layer objects (a forward and a backward)."""
    try:
        values = list(vars(obj).values())
    except TypeError:
        return []
    return [v for v in values if not isinstance(v, type) and names.method(v, "forward")
            is not None and names.method(v, "backward") is not None]


def _is_array(obj: Any, attr: str) -> bool:
    value = getattr(obj, attr, None)
    return value is not None and hasattr(value, "shape") and not callable(value)
