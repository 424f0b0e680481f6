"""The CS231n function style: ``<layer>_forward(...) -> (out, cache)`` and
``<layer>_backward(dout, cache) -> dx`` or a tuple ``(dx, dw, db)``.

Weights are (in, out) and convolutions NCHW, as in backcheck, so only the calling
convention differs: hyper-parameters travel in dicts (``conv_param = {"stride", "pad"}``,
``pool_param``, ``bn_param``, ``ln_param``, ``dropout_param``) and the losses are single
functions ``softmax_loss(x, y) -> (loss, dx)`` and ``svm_loss(x, y) -> (loss, dx)``.
"""

from __future__ import annotations

import contextlib
import inspect
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
    channel_params: tuple[str, ...] = ()
    """Parameters the course shapes (1, C, 1, 1): handed over so, their gradients read back."""


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


def _groupnorm(case: Case) -> tuple[list[Any], dict[str, Any]]:
    """``spatial_groupnorm_forward(x, gamma, beta, G, gn_param)``, gamma/beta (1, C, 1, 1)."""
    gamma, beta = (case.params[n].reshape(1, -1, 1, 1) for n in ("gamma", "beta"))
    return [case.inputs["x"], gamma, beta, case.config["G"],
            {"eps": case.config.get("eps", 1e-5)}], {}


def _embedding(case: Case) -> tuple[list[Any], dict[str, Any]]:
    return [case.inputs["x"], case.params["W"]], {}


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
    "GroupNorm": Pair(("spatial_groupnorm_forward",), ("spatial_groupnorm_backward",),
                      _groupnorm, channel_params=("gamma", "beta")),
    "Embedding": Pair(("word_embedding_forward",), ("word_embedding_backward",), _embedding),
}
LOSSES = {"CrossEntropy": ("softmax_loss",), "SVMLoss": ("svm_loss",)}
NETWORKS = {"TwoLayerNet": ("TwoLayerNet",)}
"""Model classes with ``self.params`` (W1, b1, W2, b2) and ``loss(X, y) -> (loss, grads)``."""
SIZES = {"D": ("input_dim", "input_size"), "H": ("hidden_dim", "hidden_size"),
         "C": ("num_classes", "output_size")}
UNCHECKED: tuple[str, ...] = ()


class CS231nAdapter:
    """Module-level ``*_forward`` / ``*_backward`` functions and ``*_loss`` functions."""

    name = "cs231n"

    def __init__(self, conventions: Conventions | None = None):
        self.conventions = conventions or Conventions()

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        found = [n for n in (*LAYERS, *LOSSES, *NETWORKS) if self._functions(namespace, n)]
        extra = [n for n in UNCHECKED if callable(namespace.get(n))]
        evidence = f"functions for {', '.join(found) or 'none'}"
        if extra:
            evidence += f"; {', '.join(extra)} found but not in the catalog (not checked)"
        return Detection(self.name, tuple(found), evidence)

    def _functions(self, namespace: Mapping[str, Any], layer: str) -> tuple | None:
        if layer in LOSSES:
            loss = _first(namespace, LOSSES[layer])
            return (loss,) if loss else None
        if layer in NETWORKS:
            model = next((namespace[n] for n in NETWORKS[layer] if _is_model(namespace.get(n))),
                         None)
            return (model,) if model else None
        pair = LAYERS[layer]
        forward, backward = _first(namespace, pair.forward), _first(namespace, pair.backward)
        return (forward, backward) if forward and backward else None

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        functions = self._functions(namespace, spec.name) if spec.name in (
            *LAYERS, *LOSSES, *NETWORKS) else None
        if functions is None:
            return None
        if spec.name in NETWORKS:
            return lambda case: run_model(functions[0], spec, case, self.conventions.l2)
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
    return _outcome(spec, to_numpy(out), grads, backward.__name__, pair, case)


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


def _is_model(value: Any) -> bool:
    return inspect.isclass(value) and callable(getattr(value, "loss", None))


def run_model(cls: type, spec: Spec, case: Case, l2: str = "half") -> Outcome:
    """``model.params = {W1, b1, W2, b2}``; ``loss, grads = model.loss(X, y)``.

    The course's ``reg`` is the case's (``0.5 * reg * |W|²``, fc_net.py's convention);
    with ``l2=full`` (``reg * |W|²``, some years' neural_net.py) it is half the case's.
    """
    reg = case.config.get("reg", 0.0) / (2.0 if l2 == "full" else 1.0)
    try:
        model = _build_model(cls, case, reg)
        loss = model.loss
        kwargs = {"reg": reg} if "reg" in inspect.signature(loss).parameters else {}
        result = call(f"{cls.__name__}.loss", loss, fresh(case.inputs["x"]),
                      fresh(case.inputs["target"]), **kwargs)
        value, grads = _pair(f"{cls.__name__}.loss", result)
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
    if not isinstance(grads, Mapping):
        error = RunError("bad-return", f"{cls.__name__}.loss returned grads of type "
                         f"{type(grads).__name__}, expected a dict of W1, b1, W2, b2")
        return Outcome(output=to_numpy(value), problems={p: error for p in spec.wrt})
    scale = float(case.upstream)
    found = {p: to_numpy(grads.get(p)) for p in spec.wrt if grads.get(p) is not None}
    found = {p: v * scale if isinstance(v, np.ndarray) else v for p, v in found.items()}
    problems = {p: RunError("bad-return", f"{cls.__name__}.loss gave no grads[{p!r}]")
                for p in spec.wrt if p not in found}
    return Outcome(output=to_numpy(value), grads=found, problems=problems)


def _build_model(cls: type, case: Case, reg: float) -> Any:
    """The model built from its sizes under any of the course's names, its params replaced."""
    W1, W2 = case.params["W1"], case.params["W2"]
    sizes = {"D": W1.shape[0], "H": W1.shape[1], "C": W2.shape[1]}
    kwargs: dict[str, Any] = {}
    for param in inspect.signature(cls).parameters.values():
        role = next((r for r, spellings in SIZES.items() if param.name in spellings), None)
        if role is not None:
            kwargs[param.name] = sizes[role]
        elif param.name == "reg":
            kwargs["reg"] = reg
    model = call(f"{cls.__name__}.__init__", cls, **kwargs)
    model.params = {name: fresh(value) for name, value in case.params.items()}
    if hasattr(model, "reg"):
        model.reg = reg
    return model


def _pair(name: str, result: Any) -> tuple[Any, Any]:
    if isinstance(result, tuple) and len(result) == 2:
        return result
    raise CallFailed(RunError("bad-return", f"{name} returned {type(result).__name__}, "
                              "expected a pair (out, cache)"))


def _outcome(spec: Spec, out: Any, grads: Any, name: str, pair: Pair, case: Case) -> Outcome:
    values = grads if isinstance(grads, tuple) else (grads,)
    if len(values) != len(spec.wrt):
        error = RunError("bad-return", f"{name} returned {len(values)} values, expected "
                         f"{len(spec.wrt)}: {', '.join('d' + w for w in spec.wrt)}")
        return Outcome(output=out, problems={w: error for w in spec.wrt})
    found = {w: to_numpy(v) for w, v in zip(spec.wrt, values, strict=True)}
    for w in pair.channel_params:
        found[w] = _from_channels(found[w], case.params[w].shape)
    return Outcome(output=out, grads=found)


def _from_channels(value: Any, ours: tuple[int, ...]) -> Any:
    """A (1, C, 1, 1) gradient as our (C,); any other shape is left for the comparison."""
    channels = (1, *ours, 1, 1)
    if isinstance(value, np.ndarray) and value.shape == channels:
        return value.reshape(ours)
    return value


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
