"""What a library function's signature says: its arguments' names, those it cannot do
without, and which of a loss's two arguments is the target (so that every reader hands
a loss its prediction and target in the order the loss names them).

Every reader asks these of untrusted code (is ``backward(x, top_diff)`` given the input
again? does ``initialize(optimizer)`` want an optimizer?). A function with no signature
to read (a builtin, a C extension) has no arguments known, rather than raising.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
TARGETS = ("y_true", "target", "targets", "y", "labels", "label", "truth", "actual",
           "expected", "t", "desired")
PREDICTIONS = ("y_pred", "pred", "prediction", "predictions", "predicted", "output",
               "outputs", "y_hat", "yhat", "x", "a", "activation", "probs")
"""The names that say which of a loss's two arguments is which."""


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


def target_first(pair: list[str]) -> bool | None:
    """Whether a loss whose two arguments are named ``pair`` takes the target first
    (``mse(y_true, y_pred)``), or ``None`` when the names do not tell: neither is known,
    or they say both orders (``forward(y, t)``, where ``y`` is the prediction beside a
    target ``t``, as in Chainer-style code, though ``y`` alone names a target)."""
    if len(pair) != 2:
        return None
    first, second = pair
    says_first = first in TARGETS or second in PREDICTIONS
    says_second = first in PREDICTIONS or second in TARGETS
    return None if says_first == says_second else says_first


def loss_order(fn: Any, inputs: Sequence[Any]) -> list[Any]:
    """A loss's inputs, given in backcheck's order (prediction, target, ...), in the
    order ``fn`` takes them: the first two swapped when ``fn``'s first two arguments are
    named target first (``forward(y_true, y_pred)``), else as given, so that names that
    do not tell (``forward(a, b)``) keep backcheck's order."""
    inputs = list(inputs)
    if len(inputs) >= 2 and target_first(arguments(fn)[:2]):
        inputs[:2] = inputs[1], inputs[0]
    return inputs
