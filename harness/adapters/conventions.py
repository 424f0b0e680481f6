"""Conventions a library may declare, and the conversions that undo them.

backcheck never guesses a scale: a loss backward that returns the gradient of the sum
is *wrong* for a loss whose forward is the mean, unless the library says that is its
convention. A convention is declared in an adapter file (``ClassesAdapter(Conventions(
loss_grad="sum"))``) or on the command line (``--adapter classes:loss_grad=sum``), and
the adapter then converts exactly that difference, in both directions, for every case.
Layouts that can be read off the library's own objects (the shape of the ``W`` a
constructor made) are read, not declared.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from harness.case import Case
from harness.errors import UsageError
from harness.spec import Spec

CHOICES: dict[str, tuple[str, ...]] = {
    "param_grads": ("total", "per-sample"),
    "loss_grad": ("mean", "sum", "half-sse"),
    "bias": ("auto", "flat", "row", "column"),
    "weight": ("auto", "in-out", "out-in"),
    "activation_grad": ("chain", "local"),
    "arrays": ("auto", "numpy", "torch"),
    "l2": ("half", "full"),
}
ACTIVATIONS = ("ReLU", "LeakyReLU", "Sigmoid", "Tanh")
LOSS_TERMS = {"MSELoss": "elements", "BCELoss": "elements", "CrossEntropy": "batch"}


@dataclass(frozen=True)
class Conventions:
    """What one library does differently from backcheck's canonical API."""

    param_grads: str = "total"
    """``per-sample``: parameter gradients are stored divided by the batch size
    (the input gradient is not)."""
    loss_grad: str = "mean"
    """``sum``: a loss's backward returns the gradient of the sum although forward
    returns the mean; ``half-sse``: the gradient of ``0.5 * sum((x - t)**2)``."""
    bias: str = "auto"
    """Bias shape: ``flat`` (M,), ``row`` (1, M), ``column`` (M, 1); ``auto`` reads it
    from the constructed layer."""
    weight: str = "auto"
    """``in-out`` or ``out-in``; ``auto`` reads it from the constructed layer's shape."""
    channels_last: bool = False
    """Convolutions and pools take (N, H, W, C) with (kh, kw, in, out) kernels."""
    activation_grad: str = "chain"
    """``local``: an activation's backward returns only f'(x), not ``dout * f'(x)``."""
    accumulate: bool = False
    """Parameter gradients add up over backward calls until zeroed."""
    arrays: str = "auto"
    """``torch``: the layers compute on torch tensors; ``auto`` looks for ``torch``."""
    lr: float = 0.0
    """For layers that apply SGD themselves, a fixed learning rate they use (0: set one)."""
    network: str = ""
    """For whole networks: the catalog network they implement (``XORNet``)."""
    l2: str = "half"
    """For a CS231n ``TwoLayerNet.loss``: ``full`` when its penalty is ``reg * |W|²``
    (no 0.5); the model is then given half the case's ``reg``."""


def parse(text: str, base: Conventions | None = None) -> Conventions:
    """``"loss_grad=sum,bias=column"`` as ``Conventions`` (a usage error names the bad part)."""
    conventions = base or Conventions()
    known = {f.name: f for f in fields(Conventions)}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, _, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if key not in known:
            raise UsageError(f"unknown adapter option {key!r}", hint=f"valid: {', '.join(known)}")
        conventions = replace(conventions, **{key: _value(key, value.strip())})
    return conventions


def _value(key: str, value: str) -> Any:
    if key in CHOICES:
        if value not in CHOICES[key]:
            raise UsageError(f"adapter option {key}={value!r} is not valid",
                             hint=f"choose one of {', '.join(CHOICES[key])}")
        return value
    if key in ("channels_last", "accumulate"):
        return value.lower() in ("", "1", "true", "yes", "on")
    if key == "lr":
        try:
            return float(value)
        except ValueError:
            raise UsageError(f"adapter option lr={value!r} is not a number") from None
    return value


def batch_size(case: Case) -> int:
    """N, the first axis of the case's first input."""
    first = next(iter(case.inputs.values()))
    return int(first.shape[0]) if np.ndim(first) else 1


def grad_scale(spec: Spec, case: Case, name: str, conventions: Conventions) -> float:
    """The factor that turns the library's gradient of ``name`` into backcheck's."""
    if spec.kind == "loss" and name == "x":
        return _loss_scale(spec, case, conventions.loss_grad)
    if name in spec.params and conventions.param_grads == "per-sample":
        return float(batch_size(case))
    return 1.0


def _loss_scale(spec: Spec, case: Case, declared: str) -> float:
    if declared == "mean":
        return 1.0
    x = case.inputs["x"]
    terms = x.size if LOSS_TERMS.get(spec.name) == "elements" else batch_size(case)
    if declared == "half-sse":
        return 2.0 / terms
    return 1.0 / terms


def is_local_activation(spec: Spec, conventions: Conventions) -> bool:
    """Whether this layer's backward returns only the local derivative."""
    return conventions.activation_grad == "local" and spec.name in ACTIVATIONS
