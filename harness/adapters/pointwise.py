"""Activation objects that give their derivative at the input, ``gradient(x)``.

ML-From-Scratch's activations are function objects: ``ReLU()(x)`` is the forward and
``ReLU().gradient(x)`` is f'(x) at the same input, with no ``backward`` at all (its
``Activation`` layer multiplies the upstream gradient by it). No convention needs
declaring: a method that takes the input can only mean the derivative there, so the
backward is ``dout * gradient(x)``.
"""

from __future__ import annotations

from typing import Any

from harness.adapters import names

LAYERS = ("ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "SiLU", "ELU", "Softplus",
          "Identity", "Softmax")
"""Catalog layers such an object may implement (``Softmax`` included: a diagonal
``p * (1 - p)`` is then charged, being no softmax's backward)."""


def derivative(obj: Any) -> Any:
    """The object's ``gradient(x)`` when it has no backward of its own, else ``None``."""
    return names.gradient_at_input(obj)


def has_api(cls: type) -> bool:
    """Whether a class is such an activation object (callable, with ``gradient(x)``)."""
    return names.method(cls, "forward") is not None and derivative(cls) is not None
