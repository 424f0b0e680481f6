"""backcheck's own API, the one ``student_template`` and ``reference`` follow.

A layer is a class named as in the catalog: ``Linear(W, b)``, ``forward(x)``,
``backward(dout) -> {"x": dx, "W": dW, "b": db}``.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from harness.adapters.calls import CallFailed, call, fresh, to_numpy
from harness.adapters.contract import Detection, Runner
from harness.case import Case
from harness.outcome import Outcome, RunError
from harness.spec import Spec
from harness.specs import CATALOG


class NativeAdapter:
    """Classes named like the catalog whose backward returns a dict of gradients."""

    name = "native"

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        found = tuple(n for n in CATALOG if _layer_class(namespace, n) is not None)
        return Detection(self.name, found, f"classes named {', '.join(found) or 'none'}")

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        cls = _layer_class(namespace, spec.name)
        if cls is None:
            return None
        return lambda case: run_layer(cls, spec, case)


def _layer_class(namespace: Mapping[str, Any], name: str) -> type | None:
    candidate = namespace.get(name)
    has_api = inspect.isclass(candidate) and all(
        callable(getattr(candidate, m, None)) for m in ("forward", "backward")
    )
    return candidate if has_api else None


def run_layer(cls: type, spec: Spec, case: Case) -> Outcome:
    """Construct, forward and backward one native layer on ``case``."""
    try:
        layer = call(f"{spec.name}.__init__", cls,
                     **{k: fresh(v) for k, v in case.params.items()}, **case.config)
        inputs = [fresh(case.inputs[n]) for n in spec.inputs]
        output = to_numpy(call(f"{spec.name}.forward", layer.forward, *inputs))
        grads = call(f"{spec.name}.backward", layer.backward, fresh(case.upstream))
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
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
