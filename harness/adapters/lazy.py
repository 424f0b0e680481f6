"""Layers a network finishes building: told the input's shape, then asked to initialize.

Keras-like libraries construct a layer from its output size alone (``Dense(n_units)``);
the network then calls ``layer.set_input_shape(shape)`` (the input's shape without the
batch axis) and ``layer.initialize(optimizer)``, which creates the parameters and, in
ML-From-Scratch's style, one optimizer copy per parameter that ``backward`` then steps.
``prepare`` does what that network would, so that the parameters exist to be replaced by
the case's; the optimizer it hands over is the layer's own (``SteppingLayer`` records the
gradients it is given).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harness.adapters import names, signatures
from harness.adapters.calls import call

SHAPE_SETTERS = ("set_input_shape",)
"""Methods a network calls with the input's per-sample shape before initializing."""

INITIALIZERS = ("initialize", "init_params", "initialize_params")
"""Methods a network calls once to create a layer's parameters."""


def prepare(obj: Any, x_shape: tuple[int, ...], optimizer: Callable[[], Any]) -> None:
    """Tell ``obj`` the per-sample input shape and run its initializer, when it has them;
    ``optimizer()`` makes what an ``initialize(optimizer)`` is given."""
    setter = names.first_callable(obj, SHAPE_SETTERS)
    if setter is not None and getattr(obj, "input_shape", None) is None:
        call(f"{type(obj).__name__}.{setter.__name__}", setter, tuple(x_shape[1:]))
    initializer = names.first_callable(obj, INITIALIZERS)
    if initializer is None:
        return
    wanted = [p for p in signatures.arguments(initializer) if p in names.OPTIMIZERS]
    kwargs = {wanted[0]: optimizer()} if wanted else {}
    if set(signatures.required(initializer, keywords=True)) <= set(kwargs):
        call(f"{type(obj).__name__}.{initializer.__name__}", initializer, **kwargs)


def takes_optimizer(cls: type) -> bool:
    """Whether the class's initializer asks for an optimizer (which backward then uses)."""
    initializer = names.first_callable(cls, INITIALIZERS)
    return initializer is not None and any(p in names.OPTIMIZERS
                                           for p in signatures.arguments(initializer))
