"""Layers whose ``backward`` applies the SGD step itself instead of exposing gradients.

``self.W -= self.lr * dW`` inside ``backward`` is common in tutorials. The adapter sets
the learning rate to 1 (through the constructor, an attribute, or a ``backward``
argument, whichever the class has), keeps a copy of every parameter, and reads the
gradient back as ``(before - after) / lr``. When the library's rate cannot be set,
declare it: ``--adapter sgd:lr=0.01``.

A ``backward(dout, optimizer)`` that hands its gradients to an optimizer object gets a
``RecordingOptimizer``: whatever it calls (``optimizer.update(self)``,
``optimizer.step(self.W, dW)``, ``optimizer.update(params, grads)``) is recorded and
applied as a step of rate 1 (so an input gradient computed after the update is caught),
and the gradients are read from what it was given (or, for ``update(self)``, from the
layer itself).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import numpy as np

from harness.adapters import lazy, names
from harness.adapters.calls import to_numpy
from harness.adapters.classes import ClassesAdapter
from harness.adapters.contract import Detection
from harness.adapters.instance import LibraryLayer
from harness.outcome import Outcome, RunError

LR = 1.0
"""The rate the adapter sets: 1 keeps (before - after) as exact as the dtype allows."""


class RecordingOptimizer:
    """An optimizer any method of which records the arrays it is given and takes an SGD
    step of rate ``LR``: ``update(param, grad)`` returns the moved ``param`` as a new array
    (for ``self.W = opt.update(self.W, dW)``), ``update(params, grads)`` moves each entry
    in place."""

    lr = learning_rate = LR

    def __init__(self) -> None:
        self.given: dict[int, Any] = {}
        """id of a parameter handed over -> a copy of the gradient handed over with it."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)

        def record(*args: Any, **kwargs: Any) -> Any:
            given = (*args, *kwargs.values())
            arrays = [a for a in given if hasattr(a, "shape")]
            if len(arrays) >= 2:
                return self._moved(arrays[0], arrays[1])
            tables = [a for a in given if isinstance(a, Mapping)]
            if len(tables) >= 2:
                for key, value in tables[0].items():
                    if hasattr(value, "shape") and key in tables[1]:
                        self._step(value, tables[1][key])
            return arrays[0] if arrays else None

        return record

    def _step(self, param: Any, grad: Any) -> None:
        self.given.setdefault(id(param), np.array(to_numpy(grad)))
        param[...] = param - LR * grad

    def _moved(self, param: Any, grad: Any) -> Any:
        """``param`` moved by one step, as a new array: ``W = self.W`` kept before
        ``self.W = opt.update(self.W, dW)`` still holds the weights of the forward
        (ML-From-Scratch computes its input gradient with it after the update)."""
        self.given.setdefault(id(param), np.array(to_numpy(grad)))
        return param - LR * grad

    def gradients(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Parameter name -> the gradient handed over with it."""
        return {name: self.given[id(value)] for name, value in params.items()
                if id(value) in self.given}


class SteppingLayer(LibraryLayer):
    """A library layer whose parameter gradients are read from the step it takes."""

    def __init__(self, *args: Any, **kwargs: Any):
        self.rate_set = False
        self.optimizer: RecordingOptimizer | None = None
        super().__init__(*args, **kwargs)
        self.rate_set |= self._set_rate_attributes()

    @property
    def rate(self) -> float:
        return self.conventions.lr or LR

    def initializer_optimizer(self) -> Any:
        """``initialize(optimizer)`` gets the recording optimizer, whose copies the
        layer's ``backward`` steps (ML-From-Scratch's ``self.W_opt``)."""
        self.optimizer = RecordingOptimizer()
        return self.optimizer

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
        given = [p for p in accepted if p in names.OPTIMIZERS]
        if given:
            self.optimizer = RecordingOptimizer()
            return {given[0]: self.optimizer}
        rate = [p for p in accepted if names.role(p) == "lr"]
        if rate and not self.conventions.lr:
            self.rate_set = True
        return {p: self.rate for p in rate}

    def backward(self) -> Outcome:
        before = self._params()
        values = {p: self.param_value(p) for p in self.attrs}
        outcome = super().backward()
        after = self._params()
        grads, problems = dict(outcome.grads), dict(outcome.problems)
        if self.optimizer is not None:
            return self._recorded(values, grads, problems)
        for param in self.spec.params:
            if not (self.rate_set or self.conventions.lr):
                problems[param] = RunError("bad-return", self._no_rate())
                continue
            step = (before[param].astype(np.float64) - after[param]) / self.rate
            problems.pop(param, None)
            grads[param] = self._ours(param, step.astype(before[param].dtype))
        return Outcome(output=None, grads=grads, problems=problems)

    def _recorded(self, values: dict[str, Any], grads: dict[str, Any],
                  problems: dict[str, RunError]) -> Outcome:
        """Gradients handed to the recording optimizer, over those stored on the layer."""
        assert self.optimizer is not None
        for param, value in self.optimizer.gradients(values).items():
            grads[param] = self._ours(param, np.array(to_numpy(value)))
            problems.pop(param, None)
        return Outcome(output=None, grads=grads, problems=problems)

    def _params(self) -> dict[str, np.ndarray]:
        return {p: np.array(to_numpy(self.param_value(p))) for p in self.attrs}

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
    """Whether a class has a learning rate (constructor, backward argument or attribute)
    or is handed the optimizer its backward steps when initialized."""
    if lazy.takes_optimizer(cls):
        return True
    for fn in (cls, names.method(cls, "backward")):
        try:
            if any(names.role(p) == "lr" or (fn is not cls and p in names.OPTIMIZERS)
                   for p in inspect.signature(fn).parameters):
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
