"""backcheck's own API, the one ``student_template`` and ``reference`` follow.

A layer is a class named as in the catalog: ``Linear(W, b)``, ``forward(x)``,
``backward(dout) -> {"x": dx, "W": dW, "b": db}``.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from harness import catalog
from harness.adapters import returns, signatures
from harness.adapters.calls import CallFailed, call, fresh, to_numpy
from harness.adapters.contract import Detection, Runner
from harness.case import Case
from harness.outcome import Outcome, RunError
from harness.spec import Spec


class NativeAdapter:
    """Classes named like the catalog whose backward returns a dict of gradients."""

    name = "native"

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        found = tuple(n for n, s in catalog.specs().items()
                      if _layer_class(namespace, s) is not None)
        return Detection(self.name, found, f"classes named {', '.join(found) or 'none'}")

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        cls = _layer_class(namespace, spec)
        if cls is not None:
            return lambda case: run_layer(cls, spec, case)
        other = _api_class(namespace, spec)
        if other is None:
            return None
        error = RunError("bad-return", f"{other.__name__}.backward never returns a dict of "
                         "gradients ({'x': dx, ...}), which this adapter reads; for gradients "
                         "returned as an array or kept on the layer use --adapter classes")
        return lambda case: Outcome(output=None, error=error)


def _layer_class(namespace: Mapping[str, Any], spec: Spec) -> type | None:
    """The class named ``spec.name`` if it has the API, takes the spec's parameters and
    its backward may return a dict: one whose every ``return`` is an array, a tuple or
    nothing is another library's same-named class, which ``classes`` drives."""
    candidate = _api_class(namespace, spec)
    return (candidate if candidate is not None
            and returns.may_return_mapping(candidate.backward) else None)


def _api_class(namespace: Mapping[str, Any], spec: Spec) -> type | None:
    """The class named ``spec.name`` with ``forward``, ``backward`` and the spec's
    parameters, whatever its backward returns."""
    candidate = namespace.get(spec.name)
    has_api = inspect.isclass(candidate) and all(
        callable(getattr(candidate, m, None)) for m in ("forward", "backward")
    )
    return candidate if has_api and _takes_params(candidate, spec) else None


def _takes_params(cls: type, spec: Spec) -> bool:
    """Whether ``cls(**params)`` and ``backward(dout)`` can work: ``Linear(W, b)``, not
    ``Linear(in, out)``."""
    try:
        accepted = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return True
    if not _takes_dout(cls.backward) or not _takes_inputs(cls.forward, spec):
        return False
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values()):
        return True
    return all(name in accepted for name in spec.params)


def _takes_inputs(forward: Any, spec: Spec) -> bool:
    """Whether ``forward`` takes every input of the spec: a ``Dropout.forward(x)`` that
    draws its own mask is not backcheck's ``forward(x, mask)`` (``classes`` reads it)."""
    try:
        params = list(inspect.signature(forward).parameters.values())[1:]
    except (TypeError, ValueError):
        return True
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return True
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= len(spec.inputs)


def _takes_dout(backward: Any) -> bool:
    """Whether ``backward`` accepts the upstream gradient (``backward(self, dout)``)."""
    try:
        params = list(inspect.signature(backward).parameters.values())[1:]
    except (TypeError, ValueError):
        return True
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
               for p in params)


def run_layer(cls: type, spec: Spec, case: Case) -> Outcome:
    """Construct, forward and backward one native layer on ``case``; a loss is given its
    prediction and target in the order its forward names them."""
    try:
        layer = call(f"{spec.name}.__init__", cls,
                     **{k: fresh(v) for k, v in case.params.items()}, **case.config)
        inputs = [fresh(case.inputs[n]) for n in spec.inputs]
        if spec.kind == "loss":
            inputs = signatures.loss_order(layer.forward, inputs)
        output = to_numpy(call(f"{spec.name}.forward", layer.forward, *inputs))
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
    try:
        grads = call(f"{spec.name}.backward", layer.backward, fresh(case.upstream))
    except CallFailed as failed:
        return Outcome.forward_only(output, spec.wrt, failed.error)
    return _outcome(spec, output, grads)


def _outcome(spec: Spec, output: Any, grads: Any) -> Outcome:
    if not isinstance(grads, Mapping):
        kind = "None" if grads is None else type(grads).__name__
        error = RunError("bad-return",
                         f"{spec.name}.backward returned {kind}, expected a dict of gradients "
                         f"with keys {', '.join(spec.wrt)}")
        return Outcome(output=output, problems={n: error for n in spec.wrt})
    found = {n: to_numpy(grads[n]) for n in spec.wrt if n in grads}
    problems = {
        n: RunError("bad-return", f"{spec.name}.backward returned no {n!r} gradient")
        for n in spec.wrt if n not in grads
    }
    return Outcome(output=output, grads=found, problems=problems)
