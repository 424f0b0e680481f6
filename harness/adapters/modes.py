"""One class for several catalog layers, chosen by a constructor argument.

numpy-ml has a single ``Pool2D(kernel_shape, stride, pad, mode="max")`` for max and
average pooling. A class named in ``CLASSES`` implements each of its layers; the
constructor's ``mode`` argument is given the spelling of the layer that the class's
own source uses (``"average"``, ``"avg"`` or ``"mean"``), so nothing is guessed that
the library does not say.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from harness.adapters import names

CLASSES: dict[str, dict[str, tuple[str, ...]]] = {
    "pool2d": {"MaxPool2d": ("max",), "AvgPool2d": ("average", "avg", "mean")},
    "pooling2d": {"MaxPool2d": ("max",), "AvgPool2d": ("average", "avg", "mean")},
}
"""Normalized class name -> catalog layer -> the mode's possible spellings."""

ARGUMENTS = ("mode", "pool_type", "kind", "method")
"""The constructor argument that selects the layer."""


def find(namespace: Mapping[str, Any], layer: str) -> type | None:
    """The class in ``namespace`` that implements ``layer`` through its mode, or ``None``."""
    return next((v for n, v in namespace.items() if inspect.isclass(v)
                 and layer in CLASSES.get(names.normalize(n), {})
                 and _spelling(v, layer) is not None), None)


def value(cls: type, layer: str, argument: str) -> str | None:
    """What to pass as ``argument`` to build ``cls`` as ``layer``, or ``None``."""
    if argument not in ARGUMENTS or layer not in CLASSES.get(names.normalize(cls.__name__), {}):
        return None
    return _spelling(cls, layer)


def _spelling(cls: type, layer: str) -> str | None:
    """The first of the layer's spellings that the class's source quotes."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return None
    spellings = CLASSES[names.normalize(cls.__name__)][layer]
    return next((s for s in spellings if f'"{s}"' in source or f"'{s}'" in source), None)
