"""backcheck adapter for tinynn: tinynn's conventions in, backcheck's out.

backcheck hands every layer a ``W`` of shape (in, out) and wants every gradient back
by name; tinynn keeps ``W`` as (out, in), returns only the input's gradient from
``backward(grad)`` and leaves ``grad_W`` / ``grad_b`` on the layer, and its losses take
no upstream gradient. So this adapter transposes ``W`` on the way in and ``grad_W`` on
the way out, collects the stored gradients, and scales a loss's gradient by the
upstream one.

The contract is ``harness.adapters.contract.Adapter``; backcheck loads this file with
``--adapter-file backcheck_adapter.py`` (CLI) or ``--backcheck-adapter-file`` (pytest)
and uses the module-level ``ADAPTER``. Every call into tinynn goes through
``harness.adapters.calls`` so that an exception becomes a reported error, not a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from harness.adapters.calls import CallFailed, call, fresh, to_numpy
from harness.adapters.contract import Detection, Runner
from harness.case import Case
from harness.outcome import Outcome
from harness.spec import Spec

CLASSES = {"Linear": "Dense", "ReLU": "ReLU", "Sigmoid": "Sigmoid", "Tanh": "Tanh",
           "MSELoss": "MSE"}
"""backcheck's layer name -> tinynn's class name."""


class TinyNNAdapter:
    """Runs tinynn's layers on backcheck's cases."""

    name = "tinynn"

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        found = tuple(layer for layer, cls in CLASSES.items() if cls in namespace)
        names = ", ".join(CLASSES[layer] for layer in found) or "none"
        return Detection(self.name, found, f"tinynn classes {names}")

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        cls = namespace.get(CLASSES.get(spec.name, ""))
        if cls is None:
            return None
        run = RUNS.get(spec.name, _activation)
        return lambda case: _guarded(run, cls, spec, case)


def _guarded(run: Callable[[type, Spec, Case], Outcome], cls: type, spec: Spec,
             case: Case) -> Outcome:
    try:
        return run(cls, spec, case)
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)


def _dense(cls: type, spec: Spec, case: Case) -> Outcome:
    W, b = case.params["W"], case.params["b"]
    layer = call("Dense.__init__", cls, W.shape[0], W.shape[1])
    layer.W, layer.b = W.T.copy(), fresh(b)
    out = call("Dense.forward", layer.forward, fresh(case.inputs["x"]))
    dx = call("Dense.backward", layer.backward, fresh(case.upstream))
    grad_W = to_numpy(getattr(layer, "grad_W", None))
    grads = {"x": to_numpy(dx), "W": grad_W.T if isinstance(grad_W, np.ndarray) else grad_W,
             "b": to_numpy(getattr(layer, "grad_b", None))}
    return Outcome(output=to_numpy(out), grads=grads)


def _activation(cls: type, spec: Spec, case: Case) -> Outcome:
    layer = call(f"{spec.name}.__init__", cls)
    out = call(f"{spec.name}.forward", layer.forward, fresh(case.inputs["x"]))
    dx = call(f"{spec.name}.backward", layer.backward, fresh(case.upstream))
    return Outcome(output=to_numpy(out), grads={"x": to_numpy(dx)})


def _loss(cls: type, spec: Spec, case: Case) -> Outcome:
    layer = call(f"{spec.name}.__init__", cls)
    inputs = [fresh(case.inputs[name]) for name in spec.inputs]
    out = call(f"{spec.name}.forward", layer.forward, *inputs)
    dx = to_numpy(call(f"{spec.name}.backward", layer.backward))
    if isinstance(dx, np.ndarray):
        dx = (case.upstream * dx).astype(dx.dtype)
    return Outcome(output=to_numpy(np.asarray(out)), grads={"x": dx})


RUNS = {"Linear": _dense, "MSELoss": _loss}

ADAPTER = TinyNNAdapter()
