"""The classic book's network class (Nielsen, *Neural Networks and Deep Learning*, ch. 1-2).

``Network(sizes)`` keeps lists ``self.weights`` (each (out, in)) and ``self.biases`` (each
(out, 1)); ``feedforward(a)`` maps one column sample (n, 1) through sigmoid layers and
``backprop(x, y) -> (nabla_b, nabla_w)`` returns, layer by layer, the gradient of the
quadratic cost ``0.5 * |a - y|²`` for that one sample. That is the catalog's
``SigmoidNet`` in its own layout, so nothing is transposed: the case's ``W1, W2`` and
``b1, b2`` are installed as the two lists, and the loss checked is the quadratic cost of
what ``feedforward`` returns (the book differentiates that cost but never computes it).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from harness.adapters import signatures
from harness.adapters.calls import CallFailed, call, fresh, to_numpy
from harness.adapters.contract import Detection, Runner
from harness.case import Case
from harness.outcome import Outcome, RunError
from harness.spec import Spec

NETWORK = "SigmoidNet"
LAYERS = (("W1", "b1"), ("W2", "b2"))
"""Per layer of the book's lists, the catalog's names of its weight and bias."""
QUADRATIC = ("QuadraticCost",)
"""The names of the quadratic cost class that the book's second network takes as
``Network(sizes, cost=...)``; its default there is the cross-entropy cost, whose
``delta`` is not the gradient of the cost ``SigmoidNet`` is checked under."""


class BookAdapter:
    """Classes with ``feedforward(a)`` and ``backprop(x, y)``, built from ``sizes``."""

    name = "book"

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        found = self.networks(namespace)
        listed = f"{found[0].__name__} as {NETWORK}" if found else ""
        return Detection(self.name, (NETWORK,) if found else (),
                         f"book-style networks {listed or 'none'}")

    def networks(self, namespace: Mapping[str, Any]) -> list[type]:
        """The classes written in the book's style, the module's own first (before one it
        imported, such as the first network a second one extends)."""
        found = [v for v in namespace.values() if inspect.isclass(v) and _is_book(v)]
        own = namespace.get("__name__")
        return sorted(found, key=lambda cls: cls.__module__ != own)

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        found = self.networks(namespace)
        if spec.name != NETWORK or not found:
            return None
        options = _cost_option(found[0], namespace)
        return lambda case: run_network(found[0], case, options)


def _is_book(cls: type) -> bool:
    """``feedforward`` and ``backprop(x, y)`` methods, and a constructor taking the sizes."""
    backprop, feedforward = getattr(cls, "backprop", None), getattr(cls, "feedforward", None)
    if not (callable(backprop) and callable(feedforward)):
        return False
    return len(signatures.arguments(backprop)) == 2 and len(signatures.arguments(cls)) >= 1


def _cost_option(cls: type, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """``{"cost": QuadraticCost}`` for a constructor with a ``cost`` argument when the
    module defines that class, else no option."""
    takes = "cost" in signatures.arguments(cls)
    quadratic = next((namespace[n] for n in QUADRATIC if inspect.isclass(namespace.get(n))),
                     None)
    return {"cost": quadratic} if takes and quadratic is not None else {}


def run_network(cls: type, case: Case, options: Mapping[str, Any] | None = None) -> Outcome:
    """Build ``cls([D, H, M], **options)``, install the case's parameters, check cost and
    gradients."""
    x, target = case.inputs["x"], case.inputs["target"]
    sizes = [x.shape[0], case.params["W1"].shape[0], target.shape[0]]
    try:
        net = call(f"{cls.__name__}.__init__", cls, sizes, **(options or {}))
        net.weights = [fresh(case.params[w]) for w, _ in LAYERS]
        net.biases = [fresh(case.params[b]) for _, b in LAYERS]
        out = to_numpy(call(f"{cls.__name__}.feedforward", net.feedforward, fresh(x)))
        loss = _quadratic_cost(out, target)
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
    try:
        nablas = call(f"{cls.__name__}.backprop", net.backprop, fresh(x), fresh(target))
    except CallFailed as failed:
        return Outcome.forward_only(loss, tuple(n for pair in LAYERS for n in pair),
                                    failed.error)
    return _outcome(case, loss, nablas)


def _quadratic_cost(out: Any, target: np.ndarray) -> Any:
    """``0.5 * sum((a - y)**2)`` in the network's dtype; anything but an array of the
    target's shape is returned as it is, for the comparison to report."""
    if not isinstance(out, np.ndarray) or out.shape != target.shape:
        return out
    return np.asarray(0.5 * np.sum((out - target.astype(out.dtype)) ** 2), dtype=out.dtype)


def _outcome(case: Case, loss: Any, nablas: Any) -> Outcome:
    """Read ``(nabla_b, nabla_w)`` back as the catalog's ``dW1, db1, dW2, db2``."""
    names = tuple(n for pair in LAYERS for n in pair)
    if not (isinstance(nablas, Sequence) and len(nablas) == 2
            and all(isinstance(n, Sequence | np.ndarray) and len(n) == len(LAYERS)
                    for n in nablas)):
        error = RunError("bad-return", "backprop returned "
                         f"{type(nablas).__name__}, expected (nabla_b, nabla_w): two lists "
                         f"of {len(LAYERS)} arrays, one per layer")
        return Outcome(output=loss, problems=dict.fromkeys(names, error))
    nabla_b, nabla_w = nablas
    upstream = float(np.sum(case.upstream))
    grads = {}
    for layer, (w, b) in enumerate(LAYERS):
        for name, value in ((w, nabla_w[layer]), (b, nabla_b[layer])):
            value = to_numpy(value)
            grads[name] = (value * upstream).astype(value.dtype) if isinstance(
                value, np.ndarray) else value
    return Outcome(output=loss, grads=grads)
