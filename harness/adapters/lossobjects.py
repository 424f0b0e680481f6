"""Loss objects with ``loss(y, y_pred)`` and ``gradient(y, y_pred)``, target first.

ML-From-Scratch's losses have neither forward nor backward: ``SquareLoss().loss(y, p)``
is the loss of every element, ``SquareLoss().gradient(y, p)`` its derivative in ``p``,
each taking the target first. The reader calls them as forward and backward, in the
order their arguments' names say (``signatures.loss_order``, as for any loss); a loss of
every element is then averaged, as the library's network does
(``np.mean(loss_function.loss(y, y_pred))``).
"""

from __future__ import annotations

from typing import Any

from harness.adapters import signatures

METHODS = ("loss", "gradient")
"""The value and the gradient of a loss object."""


def has_api(cls: type) -> bool:
    """Whether a class is a loss object: ``loss`` and ``gradient`` of two arguments."""
    return all(len(signatures.arguments(getattr(cls, m, None))) == 2 for m in METHODS)


def forward(obj: Any) -> Any:
    """``obj.loss``, or ``None`` for no loss object."""
    return obj.loss if has_api(type(obj)) else None


def backward(obj: Any) -> Any:
    """``obj.gradient``, or ``None`` for no loss object."""
    return obj.gradient if has_api(type(obj)) else None
