"""Layers whose ``backward`` applies the SGD step itself instead of exposing gradients.

``self.W -= self.lr * dW`` inside ``backward`` is common in tutorials. The adapter sets
the learning rate to 1 (through the constructor, an attribute, or a ``backward``
argument, whichever the class has), keeps a copy of every parameter, and reads the
gradient back as ``(before - after) / lr``. When the library's rate cannot be set,
declare it: ``--adapter sgd:lr=0.01``.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import numpy as np

from harness.adapters import names
from harness.adapters.calls import to_numpy
from harness.adapters.classes import ClassesAdapter
from harness.adapters.contract import Detection
from harness.adapters.instance import LibraryLayer
from harness.outcome import Outcome, RunError

LR = 1.0
"""The rate the adapter sets: 1 keeps (before - after) as exact as the dtype allows."""


class SteppingLayer(LibraryLayer):
    """A library layer whose parameter gradients are read from the step it takes."""

    def __init__(self, *args: Any, **kwargs: Any):
        self.rate_set = False
        super().__init__(*args, **kwargs)
        self.rate_set |= self._set_rate_attributes()

    @property
    def rate(self) -> float:
        return self.conventions.lr or LR

    def sized(self, role: str) -> Any:
        if role == "lr" and not self.conventions.lr:
            self.rate_set = True
            return LR
        return super().sized(role)

    def _set_rate_attributes(self) -> bool:
        if self.conventions.lr:
            return False
        found = [a for a in names.CONSTRUCTOR["lr"] if isinstance(getattr(self.obj, a, None),
                                                                  float | int)]
        for attr in found:
            setattr(self.obj, attr, LR)
        return bool(found)

    def backward_kwargs(self, backward: Any) -> dict[str, Any]:
        accepted = inspect.signature(backward).parameters
        rate = [p for p in accepted if names.role(p) == "lr"]
        if rate and not self.conventions.lr:
            self.rate_set = True
        return {p: self.rate for p in rate}

    def backward(self) -> Outcome:
        before = self._params()
        outcome = super().backward()
        after = self._params()
        grads, problems = dict(outcome.grads), dict(outcome.problems)
        for param in self.spec.params:
            if not (self.rate_set or self.conventions.lr):
                problems[param] = RunError("bad-return", self._no_rate())
                continue
            step = (before[param].astype(np.float64) - after[param]) / self.rate
            problems.pop(param, None)
            grads[param] = self._ours(param, step.astype(before[param].dtype))
        return Outcome(output=None, grads=grads, problems=problems)

    def _params(self) -> dict[str, np.ndarray]:
        return {p: np.array(to_numpy(getattr(self.obj, a))) for p, a in self.attrs.items()}

    def _no_rate(self) -> str:
        return (f"{self.cls.__name__} applies its own update but backcheck found no learning "
                "rate to set (constructor argument, attribute or backward argument named lr, "
                "learning_rate...); declare it with --adapter sgd:lr=VALUE")


class SGDAdapter(ClassesAdapter):
    """Class-based layers that update their own parameters in ``backward``."""

    name = "sgd"
    defers_to = ()
    layer_type = SteppingLayer

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        found = self.classes(namespace)
        stepping = [n for n, c in found.items() if _takes_a_step(c)]
        if not stepping:
            return Detection(self.name, (), "no layer class with a learning rate")
        return Detection(self.name, tuple(found),
                         f"classes with a learning rate: {', '.join(stepping)}")


def _takes_a_step(cls: type) -> bool:
    """Whether a class has a learning rate (constructor, backward argument or attribute)."""
    for fn in (cls, getattr(cls, "backward", None)):
        try:
            if any(names.role(p) == "lr" for p in inspect.signature(fn).parameters):
                return True
        except (TypeError, ValueError):
            continue
    return any(f"self.{a}" in _source(fn) for fn in vars(cls).values() if inspect.isfunction(fn)
               for a in ("lr", "learning_rate", "eta"))


def _source(fn: Any) -> str:
    """A method's source (found through ``linecache``, so notebook cells work too)."""
    try:
        return inspect.getsource(fn)
    except (OSError, TypeError):
        return ""
