"""The CS231n function style: ``<layer>_forward(...) -> (out, cache)`` and
``<layer>_backward(dout, cache) -> dx`` or a tuple ``(dx, dw, db)``.

Weights are (in, out) and convolutions NCHW, as in backcheck, so only the calling
convention differs: hyper-parameters travel in dicts (``conv_param = {"stride", "pad"}``,
``pool_param``, ``bn_param``, ``ln_param``, ``dropout_param``) and the losses are single
functions ``softmax_loss(x, y) -> (loss, dx)`` and ``svm_loss(x, y) -> (loss, dx)``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.adapters.calls import CallFailed, call, fresh, to_numpy
from harness.adapters.contract import Detection, Runner
from harness.adapters.conventions import Conventions
from harness.case import Case
from harness.outcome import Outcome, RunError
from harness.spec import Spec

Args = Callable[[Case], tuple[list[Any], dict[str, Any]]]


@dataclass(frozen=True)
class Pair:
    """The function names of one layer and how its forward arguments are built."""

    forward: tuple[str, ...]
    backward: tuple[str, ...]
    args: Args


def _x(case: Case) -> tuple[list[Any], dict[str, Any]]:
    return [case.inputs["x"]], {}


def _affine(case: Case) -> tuple[list[Any], dict[str, Any]]:
    return [case.inputs["x"], case.params["W"], case.params["b"]], {}


def _norm(mode: str) -> Args:
    def args(case: Case) -> tuple[list[Any], dict[str, Any]]:
        param = {"mode": mode, "eps": case.config.get("eps", 1e-5)}
        return [case.inputs["x"], case.params["gamma"], case.params["beta"], param], {}

    return args


def _conv(case: Case) -> tuple[list[Any], dict[str, Any]]:
    conv_param = {"stride": case.config["stride"], "pad": case.config["padding"]}
    return [case.inputs["x"], case.params["W"], case.params["b"], conv_param], {}


def _pool(case: Case) -> tuple[list[Any], dict[str, Any]]:
    size = case.config["kernel_size"]
    pool_param = {"pool_height": size, "pool_width": size,
                  "stride": case.config.get("stride") or size}
    return [case.inputs["x"], pool_param], {}


def _dropout(case: Case) -> tuple[list[Any], dict[str, Any]]:
    keep = 1.0 - case.config["p"]
    return [case.inputs["x"], {"p": keep, "mode": "train", "seed": 0}], {}


LAYERS: dict[str, Pair] = {
    "Linear": Pair(("affine_forward",), ("affine_backward",), _affine),
    "ReLU": Pair(("relu_forward",), ("relu_backward",), _x),
    "Sigmoid": Pair(("sigmoid_forward",), ("sigmoid_backward",), _x),
    "Tanh": Pair(("tanh_forward",), ("tanh_backward",), _x),
    "BatchNorm": Pair(("batchnorm_forward",), ("batchnorm_backward", "batchnorm_backward_alt"),
                      _norm("train")),
    "LayerNorm": Pair(("layernorm_forward",), ("layernorm_backward",),
                      _norm("train")),
    "Conv2d": Pair(("conv_forward_naive", "conv_forward"), ("conv_backward_naive",
                                                             "conv_backward"), _conv),
    "MaxPool2d": Pair(("max_pool_forward_naive", "max_pool_forward"),
                      ("max_pool_backward_naive", "max_pool_backward"), _pool),
    "AvgPool2d": Pair(("avg_pool_forward_naive", "avg_pool_forward"),
                      ("avg_pool_backward_naive", "avg_pool_backward"), _pool),
    "Dropout": Pair(("dropout_forward",), ("dropout_backward",), _dropout),
    "SpatialBatchNorm": Pair(("spatial_batchnorm_forward",), ("spatial_batchnorm_backward",),
                             _norm("train")),
}
LOSSES = {"CrossEntropy": ("softmax_loss",), "SVMLoss": ("svm_loss",)}
UNCHECKED: tuple[str, ...] = ()


class CS231nAdapter:
    """Module-level ``*_forward`` / ``*_backward`` functions and ``*_loss`` functions."""

    name = "cs231n"

    def __init__(self, conventions: Conventions | None = None):
        self.conventions = conventions or Conventions()

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        found = [n for n in (*LAYERS, *LOSSES) if self._functions(namespace, n)]
        extra = [n for n in UNCHECKED if callable(namespace.get(n))]
        evidence = f"functions for {', '.join(found) or 'none'}"
        if extra:
            evidence += f"; {', '.join(extra)} found but not in the catalog (not checked)"
        return Detection(self.name, tuple(found), evidence)

    def supports(self, layer: str, variant: Mapping[str, Any]) -> bool | str:
        """What CS231n's dicts cannot say (convfamily): ``conv_param`` has one int
        ``stride`` and ``pad`` for both axes, ``pool_param`` has no padding."""
        if layer == "Conv2d" and any(isinstance(variant.get(k), (tuple, list))
                                     for k in ("stride", "padding")):
            return "CS231n's conv_param has one int 'stride' and 'pad' for both axes"
        if layer in ("MaxPool2d", "AvgPool2d") and variant.get("padding"):
            return "CS231n's pool_param has no padding"
        return True

    def _functions(self, namespace: Mapping[str, Any], layer: str) -> tuple | None:
        if layer in LOSSES:
            loss = _first(namespace, LOSSES[layer])
            return (loss,) if loss else None
        pair = LAYERS[layer]
        forward, backward = _first(namespace, pair.forward), _first(namespace, pair.backward)
        return (forward, backward) if forward and backward else None

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        functions = self._functions(namespace, spec.name) if spec.name in (
            *LAYERS, *LOSSES) else None
        if functions is None:
            return None
        if spec.name in LOSSES:
            return lambda case: run_loss(functions[0], spec, case)
        return lambda case: run_pair(*functions, LAYERS[spec.name], spec, case)


def _first(namespace: Mapping[str, Any], names: tuple[str, ...]) -> Callable | None:
    return next((namespace[n] for n in names if callable(namespace.get(n))), None)


def run_pair(forward: Callable, backward: Callable, pair: Pair, spec: Spec,
             case: Case) -> Outcome:
    """``out, cache = forward(...)``; ``backward(dout, cache)`` gives ``spec.wrt`` in order."""
    args, kwargs = pair.args(case)
    try:
        with _mask(case):
            result = call(forward.__name__, forward, *[fresh(a) for a in args], **kwargs)
        out, cache = _pair(forward.__name__, result)
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
    try:
        grads = call(backward.__name__, backward, fresh(case.upstream), cache)
    except CallFailed as failed:
        return Outcome.forward_only(to_numpy(out), spec.wrt, failed.error)
    return _outcome(spec, to_numpy(out), grads, backward.__name__)


def run_loss(loss: Callable, spec: Spec, case: Case) -> Outcome:
    """``loss, dx = softmax_loss(x, y)``, scaled by the (scalar) upstream gradient."""
    try:
        result = call(loss.__name__, loss, fresh(case.inputs["x"]), fresh(case.inputs["target"]))
        value, dx = _pair(loss.__name__, result)
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
    dx = to_numpy(dx)
    if isinstance(dx, np.ndarray):
        dx = dx * float(case.upstream)
    return Outcome(output=to_numpy(value), grads={"x": dx})


def _pair(name: str, result: Any) -> tuple[Any, Any]:
    if isinstance(result, tuple) and len(result) == 2:
        return result
    raise CallFailed(RunError("bad-return", f"{name} returned {type(result).__name__}, "
                              "expected a pair (out, cache)"))


def _outcome(spec: Spec, out: Any, grads: Any, name: str) -> Outcome:
    values = grads if isinstance(grads, tuple) else (grads,)
    if len(values) != len(spec.wrt):
        error = RunError("bad-return", f"{name} returned {len(values)} values, expected "
                         f"{len(spec.wrt)}: {', '.join('d' + w for w in spec.wrt)}")
        return Outcome(output=out, problems={w: error for w in spec.wrt})
    return Outcome(output=out, grads={w: to_numpy(v) for w, v in
                                      zip(spec.wrt, values, strict=True)})


@contextlib.contextmanager
def _mask(case: Case) -> Iterator[None]:
    """During dropout, ``np.random.rand`` returns values that reproduce the case's mask.

    CS231n's dropout draws ``np.random.rand(*x.shape) < p`` (``p`` the keep probability);
    returning 0 where the case keeps a unit and 1 where it drops one makes that draw equal
    to the case's mask, so the output is comparable.
    """
    mask = case.inputs.get("mask")
    if mask is None:
        yield
        return
    original = np.random.rand
    np.random.rand = lambda *shape: np.where(mask.reshape(shape) > 0, 0.0, 1.0)
    try:
        yield
    finally:
        np.random.rand = original
