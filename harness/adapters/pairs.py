"""Layers a library builds from a pair of plain functions: f and its derivative.

Some from-scratch libraries have one generic activation class, ``ActivationLayer(
activation, activation_prime)``, and the functions in another module (``tanh``,
``tanh_prime``); their losses are two functions (``mse(y_true, y_pred)``,
``mse_prime(y_true, y_pred)``) the network calls. No class is named after the layer, so
the class reader would find none. Here each pair is found by name (the function named
like a catalog layer, its derivative named like it plus ``_prime``, ``_derivative``...)
and made a class the class reader drives like any other: an activation is the
library's own generic class built with the pair (so its backward is what is checked),
a loss calls the pair with the arguments in the order their names say.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from harness.adapters import names, signatures
from harness.adapters.conventions import ACTIVATIONS

DERIVATIVES = ("{}_prime", "{}_derivative", "{}_deriv", "{}_grad", "{}_gradient",
               "{}_backward", "{}prime", "d{}", "d_{}")
"""How a function's derivative is named from the function's own name."""

LOSSES = ("MSELoss", "BCELoss")
"""Catalog losses a pair of functions of (prediction, target) may implement."""

DERIVATIVE_ARGS = ("prime", "deriv", "grad", "backward")
"""Words in a generic activation class's second argument that mark it as f'."""


LOSS_METHODS = ("diff", "loss_prime", "loss_grad", "loss_derivative", "dloss", "grad_loss")
"""The derivative beside a class's ``loss(x, y)`` method (``Softmax.loss`` / ``.diff``)."""


def classes(namespace: Mapping[str, Any]) -> dict[str, type]:
    """Catalog layer -> a class built from a function pair of ``namespace``, or from a
    class's ``loss`` method and its derivative."""
    functions = {k: v for k, v in namespace.items() if inspect.isfunction(v)}
    found: dict[str, type] = dict(_method_losses(namespace))
    generic = _generic_activation(namespace)
    for layer, (f, df) in _pairs(functions).items():
        if layer in ACTIVATIONS and generic is not None:
            found[layer] = _bound(generic, f, df)
        elif layer in LOSSES and _order(f) is not None:
            found[layer] = _loss(f, df)
    return found


def _pairs(functions: Mapping[str, Callable]) -> dict[str, tuple[Callable, Callable]]:
    """Catalog layer -> (f, f') for each function named like a layer that has a
    derivative beside it."""
    pairs = {}
    for name, fn in functions.items():
        layer = names.layer_of(name)
        if layer not in (*ACTIVATIONS, *LOSSES) or layer in pairs:
            continue
        derivative = next((functions[d.format(name)] for d in DERIVATIVES
                           if d.format(name) in functions), None)
        if derivative is not None:
            pairs[layer] = (fn, derivative)
    return pairs


def _generic_activation(namespace: Mapping[str, Any]) -> type | None:
    """The library's class taking (f, f'): forward and backward, named for no catalog
    layer, and a constructor of two arguments, the second named as a derivative."""
    for name, value in namespace.items():
        if not inspect.isclass(value) or names.layer_of(name) is not None:
            continue
        if names.method(value, "forward") is None or names.method(value, "backward") is None:
            continue
        required = signatures.required(value)
        if len(required) == 2 and any(w in required[1].lower() for w in DERIVATIVE_ARGS):
            return value
    return None


def _bound(generic: type, f: Callable, df: Callable) -> type:
    """``generic`` with the pair fixed: built with no arguments, its methods unchanged."""
    def __init__(self: Any) -> None:
        generic.__init__(self, f, df)

    label = f"{generic.__name__}({f.__name__}, {df.__name__})"
    return type(label, (generic,), {"__init__": __init__, "__qualname__": label,
                                    "__module__": generic.__module__})


def _order(f: Callable) -> tuple[int, int] | None:
    """(index of the prediction, index of the target) in ``f``'s two arguments, read from
    their names, or ``None`` when the names do not tell."""
    first = signatures.target_first(signatures.required(f))
    return None if first is None else (1, 0) if first else (0, 1)


def _loss(f: Callable, df: Callable) -> type:
    """A loss class over the pair: ``forward(x, target)`` is f, ``backward()`` is f'."""
    pred, target = _order(f)

    def forward(self: Any, x: Any, y: Any) -> Any:
        self.args = [None, None]
        self.args[pred], self.args[target] = x, y
        return f(*self.args)

    def backward(self: Any) -> Any:
        return df(*self.args)

    label = f"{f.__name__}/{df.__name__}"
    return type(label, (), {"forward": forward, "backward": backward, "__qualname__": label,
                            "__module__": f.__module__, "__doc__": _loss.__doc__})


def _method_losses(namespace: Mapping[str, Any]) -> dict[str, type]:
    """An output class with ``loss(x, y)`` and its derivative method and no backward: a
    ``Softmax`` (or cross-entropy) one is the softmax cross-entropy of the logits."""
    found = {}
    for name, value in namespace.items():
        layer = names.layer_of(name) if inspect.isclass(value) else None
        if layer not in ("Softmax", "CrossEntropy") or names.method(value, "backward"):
            continue
        derivative = next((m for m in LOSS_METHODS if callable(getattr(value, m, None))), None)
        if callable(getattr(value, "loss", None)) and derivative is not None:
            found["CrossEntropy"] = _loss_methods(value, derivative)
    return found


def _loss_methods(cls: type, derivative: str) -> type:
    """``cls`` with ``forward(x, y)`` its ``loss`` and ``backward()`` its derivative."""
    def forward(self: Any, x: Any, y: Any) -> Any:
        self.args = (x, y)
        return cls.loss(self, x, y)

    def backward(self: Any) -> Any:
        return getattr(cls, derivative)(self, *self.args)

    label = f"{cls.__name__}.loss/{derivative}"
    return type(label, (cls,), {"forward": forward, "backward": backward,
                                "__qualname__": label, "__module__": cls.__module__})
