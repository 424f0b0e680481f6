"""How a library's constructor wants a value spelled, read off its own signature.

A case gives ``kernel_size=2`` and ``padding=0``; a library may ask for the window as a
pair (``pool_size: Tuple[int, int]``), the padding as a mode name (``padding='valid'``)
or the input's shape as the (C, H, W) an image library unpacks (``X_dim``). Each rule
here turns the case's value into that spelling only where the signature says so (a
tuple annotation or default, a string default), so a library that takes the plain value
gets it unchanged.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

IMAGE_DIMS = 3
"""An input shape a constructor unpacks as ``C, H, W = X_dim``."""


def _annotation(param: inspect.Parameter) -> str:
    """The parameter's annotation as lower-case text (a string annotation as written)."""
    annotation = param.annotation
    return str(annotation if isinstance(annotation, str) else
               getattr(annotation, "__name__", "") or annotation).lower()


def _shaped(param: inspect.Parameter) -> bool:
    """A tuple default, or a name that says shape (``kernel_shape``)."""
    return isinstance(param.default, tuple) or param.name.endswith("shape")


def _wants_tuple(param: inspect.Parameter) -> bool:
    """A tuple annotation (``Tuple[int, int]``, also as a string) that does not also take
    an int (``int | tuple[int, ...]`` does), a tuple default, or a name that says shape."""
    text = _annotation(param)
    takes_int = "int |" in text or "| int" in text or "union[int" in text
    return ("tuple" in text and not takes_int) or _shaped(param)


def _pair(param: inspect.Parameter, value: Any, config: Mapping[str, Any]) -> Any:
    """An int window or stride given as one size per spatial axis (``(k, k)`` in 2-D) to
    a constructor that asks for a tuple."""
    if isinstance(value, int) and not isinstance(value, bool) and _wants_tuple(param):
        return (value,) * (len(config.get("kernel", ())) or 2)
    return value


def _padding_mode(param: inspect.Parameter, value: Any, config: Mapping[str, Any]) -> Any:
    """An int padding given as the mode name a constructor with a string default takes:
    ``'valid'`` for none; ``'same'`` for ``(k - 1) / 2`` zeros on each side of an odd
    kernel at stride 1 (with a larger stride libraries differ on what 'same' pads);
    any other padding, ``Inexpressible``."""
    if not isinstance(param.default, str) or not isinstance(value, int):
        return value
    if value == 0:
        return "valid"
    kernel = config.get("kernel", ())
    if config.get("stride", 1) == 1 and kernel and all(
            k % 2 == 1 and (k - 1) // 2 == value for k in kernel):
        return "same"
    raise Inexpressible(f"padding as 'same' or 'valid' only, not padding={value} with a "
                        f"kernel of {kernel} and stride {config.get('stride', 1)}",
                        "padding")


class Inexpressible(Exception):
    """A case's value the constructor's signature cannot say (``stride=(2, 1)`` for one
    int, ``padding=2`` as a mode name): the layer cannot run the case. ``key`` is the
    case key whose other values it can run."""

    def __init__(self, what: str, key: str):
        super().__init__(what)
        self.key = key


def _takes_tuple(param: inspect.Parameter) -> bool:
    """A tuple or sequence annotation (``int | tuple[int, ...]`` too), a tuple default,
    or a name that says shape."""
    text = _annotation(param)
    return "tuple" in text or "sequence" in text or _shaped(param)


def _one_per_axis(param: inspect.Parameter, value: Any, config: Mapping[str, Any]) -> Any:
    """A per-axis tuple for an argument with no sign of taking one: its one value when
    the axes agree, else ``Inexpressible`` (passing the tuple on would make the library fail
    inside its own code, or worse, broadcast it)."""
    if not isinstance(value, tuple) or _takes_tuple(param):
        return value
    if len(set(value)) == 1:
        return value[0]
    raise Inexpressible(f"one {param.name} for every axis, not {value}", "per-axis")


RULES: dict[str, Callable[[inspect.Parameter, Any, Mapping[str, Any]], Any]] = {
    "kernel_size": _pair,
    "stride": lambda p, v, c: _pair(p, _one_per_axis(p, v, c), c),
    "padding": lambda p, v, c: _padding_mode(p, _one_per_axis(p, v, c), c),
}
"""Constructor role -> how its value is respelled for the signature that asks for it."""


def spelled(param: inspect.Parameter, role: str, value: Any,
            config: Mapping[str, Any]) -> Any:
    """``value`` for constructor argument ``param`` (of ``role``), as its signature wants
    it; ``config`` is the case's configuration plus its ``kernel`` sizes."""
    rule = RULES.get(role)
    return value if rule is None else rule(param, value, config)


def image_shape(shape: tuple[int, ...]) -> tuple[int, ...] | None:
    """A flat input's (D,) shape as the (D, 1, 1) an image library's ``X_dim`` unpacks,
    or ``None`` when it already has the three dimensions."""
    if len(shape) >= IMAGE_DIMS:
        return None
    return (*shape, *(1,) * (IMAGE_DIMS - len(shape)))
