"""Whole networks written column-major (features x batch), as in many course notebooks.

``net.forward(X) -> (A, cache)``, ``net.compute_loss(Y, A)`` and ``net.backward(Y, cache)
-> {"dW1": ..., "db1": ...}`` with ``W1`` (hidden, in), ``b1`` (hidden, 1) and ``X``
(in, batch). Such a class is checked as the catalog network it implements, its loss and
every parameter gradient, with all layouts converted. Which network that is (``XORNet``
ends in a sigmoid, ``RegressionMLP`` does not) is read by one forward pass with large
weights, or declared: ``--adapter columnar:network=XORNet``.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import numpy as np

from harness.adapters import conventions as conv
from harness.adapters.calls import CallFailed, call, to_numpy, watch
from harness.adapters.contract import Detection, Runner
from harness.adapters.conventions import Conventions
from harness.case import Case
from harness.outcome import Outcome, RunError
from harness.spec import Spec

LOSS_METHODS = ("compute_loss", "loss", "cost", "compute_cost", "loss_fn", "criterion")
CACHE_NAMES = ("cache", "caches", "cached")
SIZES = {
    "in": ("input_size", "n_x", "input_dim", "n_input", "in_features", "n_in", "nx",
           "input_layer_size", "num_inputs"),
    "hidden": ("hidden_size", "n_h", "hidden_dim", "n_hidden", "hidden", "nh",
               "hidden_layer_size", "num_hidden"),
    "out": ("output_size", "n_y", "output_dim", "n_output", "out_features", "n_out", "ny",
            "output_layer_size", "num_outputs"),
    "dims": ("layer_dims", "layer_sizes", "dims", "sizes", "layers"),
}


class ColumnarAdapter:
    """Network classes with ``backward(Y, cache)`` returning ``dW1``, ``db1``..."""

    name = "columnar"

    def __init__(self, conventions: Conventions | None = None):
        self.conventions = conventions or Conventions()

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        found = self.networks(namespace)
        listed = ", ".join(f"{c.__name__} as {n}" for n, c in found.items())
        return Detection(self.name, tuple(found),
                         f"column-major networks {listed or 'none'}")

    def networks(self, namespace: Mapping[str, Any]) -> dict[str, type]:
        """Catalog network name -> the class implementing it."""
        found: dict[str, type] = {}
        for value in namespace.values():
            if inspect.isclass(value) and _is_columnar(value):
                network = self.conventions.network or _which_network(value)
                if network:
                    found.setdefault(network, value)
        return found

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        cls = self.networks(namespace).get(spec.name)
        declared = self.conventions.of(spec.name)
        return None if cls is None else (lambda case: run_network(cls, spec, case, declared))


def _is_columnar(cls: type) -> bool:
    backward = getattr(cls, "backward", None)
    if not callable(backward) or not callable(getattr(cls, "forward", None)):
        return False
    try:
        params = inspect.signature(backward).parameters
    except (TypeError, ValueError):
        return False
    return any(p in CACHE_NAMES for p in params) and _loss_method(cls) is not None


def _loss_method(cls: type) -> str | None:
    return next((m for m in LOSS_METHODS if callable(getattr(cls, m, None))), None)


def _which_network(cls: type) -> str:
    """``XORNet`` if the output passes through a sigmoid, else ``RegressionMLP``;
    ``LinearRegression`` for a single layer; ``""`` when the probe fails."""
    try:
        net = _build(cls, 1, 2, 1)
        if not hasattr(net, "W2"):
            return "LinearRegression" if hasattr(net, "W") or hasattr(net, "W1") else ""
        net.W1, net.b1 = np.full((2, 1), 50.0), np.zeros((2, 1))
        net.W2, net.b2 = np.full((1, 2), 50.0), np.zeros((1, 1))
        out = np.asarray(to_numpy(_output(net.forward(np.array([[3.0, -3.0]])))))
    except Exception:
        return ""
    return "XORNet" if np.all((out >= 0) & (out <= 1)) else "RegressionMLP"


def _build(cls: type, n_in: int, n_hidden: int, n_out: int) -> Any:
    sizes = {"in": n_in, "hidden": n_hidden, "out": n_out, "dims": [n_in, n_hidden, n_out]}
    kwargs = {}
    for param in inspect.signature(cls).parameters.values():
        role = next((r for r, spellings in SIZES.items() if param.name in spellings), None)
        if role is not None:
            kwargs[param.name] = sizes[role]
        elif param.default is inspect.Parameter.empty and param.kind not in (
                param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise CallFailed(RunError("exception", f"cannot construct {cls.__name__}: no value "
                                      f"known for its argument {param.name!r}"))
    return call(f"{cls.__name__}.__init__", cls, **kwargs)


def _output(result: Any) -> Any:
    return result[0] if isinstance(result, tuple) else result


def run_network(cls: type, spec: Spec, case: Case,
                declared: Conventions | None = None) -> Outcome:
    """Check one column-major network on a batch-first network case, its loss and
    gradients converted from the declared ``reduction`` and ``param_grads``."""
    declared = declared or Conventions()
    x, target = case.inputs["x"], case.inputs["target"]
    W1 = case.params.get("W1", case.params.get("W"))
    hidden = case.params["W2"].shape[0] if "W2" in case.params else 1
    try:
        net = _build(cls, W1.shape[0], hidden, target.shape[1])
        attrs = {p: _attribute(net, p) for p in spec.params}
        layouts = {p: _install(net, attrs[p], case.params[p]) for p in spec.params}
        X, Y = _columns("x", x), _columns("target", target)
        forward = call(f"{cls.__name__}.forward", net.forward, X)
        A = _output(forward)
        cache = forward[1] if isinstance(forward, tuple) and len(forward) > 1 else None
        loss = conv.output(spec, case, declared, to_numpy(
            call(f"{cls.__name__}.{_loss_method(cls)}", _loss(net, cls), Y, A)))
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
    try:
        grads = call(f"{cls.__name__}.backward", net.backward,
                     *_backward_args(net.backward, X, Y, A, cache))
    except CallFailed as failed:
        return Outcome.forward_only(loss, spec.wrt, failed.error)
    return _outcome(spec, case, loss, grads, layouts, attrs, declared)


def _columns(name: str, ours: np.ndarray) -> np.ndarray:
    """The network's (features, batch) copy of one of the case's inputs, watched for
    in-place changes like every array handed to code under test."""
    return watch(name, ours, _transposed(ours), back=_transposed, make=_transposed)


def _transposed(array: np.ndarray) -> np.ndarray:
    return np.array(array.T, copy=True, order="C")


def _attribute(net: Any, param: str) -> str:
    """The network's name for ``param``: the same, or numbered (``W1`` for a lone ``W``)."""
    return param if hasattr(net, param) or not hasattr(net, f"{param}1") else f"{param}1"


def _install(net: Any, param: str, ours: np.ndarray) -> tuple[int, ...]:
    """Set ``param`` on ``net`` in its column-major layout; that layout's shape."""
    theirs = ours.T if ours.ndim == 2 else ours.reshape(-1, 1)
    existing = getattr(net, param, None)
    if existing is not None and np.shape(existing) == ours.shape and ours.ndim == 1:
        theirs = ours
    setattr(net, param, np.array(theirs, copy=True, order="C"))
    return theirs.shape


def _loss(net: Any, cls: type) -> Any:
    method = getattr(net, _loss_method(cls))
    names = list(inspect.signature(method).parameters)
    if names and names[0].lower().startswith(("a", "y_hat", "yhat", "pred", "out")):
        return lambda Y, A: method(A, Y)
    return method


def _backward_args(backward: Any, X: Any, Y: Any, A: Any, cache: Any) -> list[Any]:
    by_name = {"x": X, "y": Y, "a": A, "al": A, "a2": A, "output": A, "y_hat": A}
    args = []
    for name in inspect.signature(backward).parameters:
        if name in CACHE_NAMES:
            args.append(cache)
        elif name.lower() in by_name:
            args.append(by_name[name.lower()])
    return args


def _outcome(spec: Spec, case: Case, loss: Any, grads: Any,
             layouts: dict[str, tuple[int, ...]], attrs: dict[str, str],
             declared: Conventions) -> Outcome:
    if not isinstance(grads, Mapping):
        error = RunError("bad-return", f"backward returned {type(grads).__name__}, expected a "
                         f"dict with {', '.join('d' + p for p in spec.params)}")
        return Outcome(output=loss, problems={p: error for p in spec.params})
    found, problems = {}, {}
    upstream = float(np.sum(case.upstream))
    for param in spec.params:
        attr = attrs[param]
        value = to_numpy(grads.get(f"d{attr}", grads.get(attr)))
        if value is None:
            problems[param] = RunError("bad-return", f"backward returned no 'd{attr}'")
            continue
        value = _back(value, layouts[param], case.params[param].shape)
        scale = upstream * conv.grad_scale(spec, case, param, declared)
        found[param] = (value * scale).astype(value.dtype) if isinstance(
            value, np.ndarray) else value
    return Outcome(output=loss, grads=found, problems=problems)


def _back(value: Any, theirs: tuple[int, ...], ours: tuple[int, ...]) -> Any:
    """A gradient in the network's layout back to ours (left alone if its shape is off)."""
    if not isinstance(value, np.ndarray) or value.shape != theirs:
        return value
    return value.T if len(ours) == 2 else value.reshape(ours)
