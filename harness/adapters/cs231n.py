"""The CS231n function style: ``<layer>_forward(...) -> (out, cache)`` and
``<layer>_backward(dout, cache) -> dx`` or a tuple ``(dx, dw, db)``.

Weights are (in, out) and convolutions NCHW, as in backcheck, so only the calling
convention differs: hyper-parameters travel in dicts (``conv_param = {"stride", "pad"}``,
``pool_param``, ``bn_param``, ``ln_param``, ``dropout_param``) and the losses are single
functions ``softmax_loss(x, y) -> (loss, dx)`` and ``svm_loss(x, y) -> (loss, dx)``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import count
from typing import Any

import numpy as np

from harness.adapters import conventions as conv
from harness.adapters import dropout
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
    outputs: int = 1
    """Arrays forward returns before its cache: 2 for ``lstm_step_forward`` (next_h,
    next_c), stacked into backcheck's one output; backward then takes the upstream
    gradient split the same way, ``(dnext_h, dnext_c, cache)``."""
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


def _named(*names: str) -> Args:
    """Inputs then parameters in the order given (the recurrent layers' signatures)."""

    def args(case: Case) -> tuple[list[Any], dict[str, Any]]:
        return [case.arrays()[n] for n in names], {}

    return args


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
    "Dropout": Pair(("dropout_forward",), ("dropout_backward",), _x),
    "SpatialBatchNorm": Pair(("spatial_batchnorm_forward",), ("spatial_batchnorm_backward",),
                             _norm("train")),
    # sequences (CS231n assignment 3, rnn_layers.py); gru_step_* in the same style
    "RNNCell": Pair(("rnn_step_forward",), ("rnn_step_backward",),
                    _named("x", "prev_h", "Wx", "Wh", "b")),
    "RNN": Pair(("rnn_forward",), ("rnn_backward",), _named("x", "h0", "Wx", "Wh", "b")),
    "LSTMCell": Pair(("lstm_step_forward",), ("lstm_step_backward",),
                     _named("x", "prev_h", "prev_c", "Wx", "Wh", "b"), outputs=2),
    "LSTM": Pair(("lstm_forward",), ("lstm_backward",), _named("x", "h0", "Wx", "Wh", "b")),
    "GRUCell": Pair(("gru_step_forward",), ("gru_step_backward",),
                    _named("x", "prev_h", "Wx", "Wh", "bx", "bh")),
    "TemporalAffine": Pair(("temporal_affine_forward",), ("temporal_affine_backward",),
                           _affine),
    "GroupNorm": Pair(("spatial_groupnorm_forward",), ("spatial_groupnorm_backward",),
                      _groupnorm, channel_params=("gamma", "beta")),
    "Embedding": Pair(("word_embedding_forward",), ("word_embedding_backward",), _embedding),
}
LOSSES = {"CrossEntropy": ("softmax_loss",), "SVMLoss": ("svm_loss",),
          "TemporalSoftmaxLoss": ("temporal_softmax_loss",)}
NETWORKS = {"TwoLayerNet": ("TwoLayerNet",)}
"""Model classes with ``self.params`` (W1, b1, W2, b2) and ``loss(X, y) -> (loss, grads)``."""
SIZES = {"D": ("input_dim", "input_size"), "H": ("hidden_dim", "hidden_size"),
         "C": ("num_classes", "output_size")}
UNCHECKED: tuple[str, ...] = ()
DROPOUT_WRT = ("x",)


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
        declared = self.conventions.of(spec.name)
        if spec.name in NETWORKS:
            return lambda case: run_model(functions[0], spec, case, declared.l2)
        if spec.name in LOSSES:
            return lambda case: conv.with_target_hint(
                spec, declared, run_loss(functions[0], spec, case, declared),
                lambda other: run_loss(functions[0], spec, case, other), self.name)
        if spec.name == "Dropout":
            return lambda case: run_dropout(*functions, case, declared)
        return lambda case: run_pair(*functions, LAYERS[spec.name], spec, case)


def _first(namespace: Mapping[str, Any], names: tuple[str, ...]) -> Callable | None:
    return next((namespace[n] for n in names if callable(namespace.get(n))), None)


def run_pair(forward: Callable, backward: Callable, pair: Pair, spec: Spec,
             case: Case) -> Outcome:
    """``out, cache = forward(...)``; ``backward(dout, cache)`` gives ``spec.wrt`` in order."""
    args, kwargs = pair.args(case)
    try:
        result = call(forward.__name__, forward, *[fresh(a) for a in args], **kwargs)
        out, cache = _results(forward.__name__, result, pair.outputs)
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
    upstream = [case.upstream] if pair.outputs == 1 else list(case.upstream)
    try:
        grads = call(backward.__name__, backward, *[fresh(u) for u in upstream], cache)
    except CallFailed as failed:
        return Outcome.forward_only(to_numpy(out), spec.wrt, failed.error)
    return _outcome(spec, to_numpy(out), grads, backward.__name__, pair, case)


def run_loss(loss: Callable, spec: Spec, case: Case,
             declared: Conventions | None = None) -> Outcome:
    """``loss, dx = softmax_loss(x, y)`` (every input in the spec's order:
    ``temporal_softmax_loss(x, y, mask)``), scaled by the (scalar) upstream gradient and
    converted from the declared reduction and target form."""
    declared = declared or Conventions()
    theirs = conv.library_case(spec, case, declared)
    try:
        args = [fresh(case.inputs["x"]), *(fresh(theirs.inputs[n]) for n in spec.inputs[1:])]
        result = call(loss.__name__, loss, *args)
        value, dx = _pair(loss.__name__, result)
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
    dx = to_numpy(dx)
    if isinstance(dx, np.ndarray):
        scale = float(case.upstream) * conv.grad_scale(spec, case, "x", declared)
        dx = (dx * scale).astype(dx.dtype)
    value = to_numpy(value)
    if isinstance(value, float | int):
        value = np.asarray(value, dtype=case.inputs["x"].dtype)
    return Outcome(output=conv.output(spec, case, declared, value), grads={"x": dx})


def run_dropout(forward: Callable, backward: Callable, case: Case,
                declared: Conventions) -> Outcome:
    """``dropout_forward(x, {"p", "mode": "train", "seed"})`` judged by the mask it drew
    (``harness.adapters.dropout``): nothing about how it draws is assumed."""
    keep = 1.0 - float(case.config["p"])
    keeps = conv.dropout_keeps(declared, "keep")
    given = keep if keeps else 1.0 - keep
    seeds = count()

    def param() -> dict[str, Any]:
        return {"p": given, "mode": "train", "seed": next(seeds)}

    def attempt() -> Outcome:
        try:
            out, cache = _pair(forward.__name__, call(forward.__name__, forward,
                                                      fresh(case.inputs["x"]), param()))
        except CallFailed as failed:
            return Outcome(output=None, error=failed.error)
        try:
            grads = call(backward.__name__, backward, fresh(case.upstream), cache)
        except CallFailed as failed:
            return Outcome.forward_only(to_numpy(out), ("x",), failed.error)
        return _outcome(DROPOUT_WRT, to_numpy(out), grads, backward.__name__)

    def draw() -> Any:
        result = call(forward.__name__, forward, np.copy(case.inputs["x"]), param())
        return to_numpy(_pair(forward.__name__, result)[0])

    meaning, other = ("keep", "drop") if keeps else ("drop", "keep")
    library = dropout.Library(forward.__name__, attempt, draw, keep, declared.inverted,
                              f"p={given:g} as the {meaning} probability",
                              f"--adapter cs231n:Dropout.p={other}")
    return dropout.run(library, case)


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


def _results(name: str, result: Any, outputs: int) -> tuple[Any, Any]:
    """``(out, cache)``; with several outputs, ``(*outs, cache)`` with the outs stacked."""
    if outputs == 1:
        return _pair(name, result)
    if not (isinstance(result, tuple) and len(result) == outputs + 1):
        raise CallFailed(RunError("bad-return", f"{name} returned {type(result).__name__}, "
                                  f"expected {outputs} arrays and a cache"))
    outs = [to_numpy(o) for o in result[:-1]]
    shapes = [str(getattr(o, "shape", type(o).__name__)) for o in outs]
    if len(set(shapes)) != 1 or not all(isinstance(o, np.ndarray) for o in outs):
        raise CallFailed(RunError("bad-return", f"{name} returned outputs shaped "
                                  f"{', '.join(shapes)}, expected arrays of one shape"))
    return np.stack(outs), result[-1]


def _pair(name: str, result: Any) -> tuple[Any, Any]:
    if isinstance(result, tuple) and len(result) == 2:
        return result
    raise CallFailed(RunError("bad-return", f"{name} returned {type(result).__name__}, "
                              "expected a pair (out, cache)"))


def _outcome(spec: Spec | tuple[str, ...], out: Any, grads: Any, name: str,
             pair: Pair | None = None, case: Case | None = None) -> Outcome:
    """The gradients of ``spec.wrt`` (or of the names given) from backward's return; a
    ``pair`` with ``channel_params`` has those read back from (1, C, 1, 1)."""
    wrt = spec if isinstance(spec, tuple) else spec.wrt
    values = grads if isinstance(grads, tuple) else (grads,)
    if len(values) != len(wrt):
        error = RunError("bad-return", f"{name} returned {len(values)} values, expected "
                         f"{len(wrt)}: {', '.join('d' + w for w in wrt)}")
        return Outcome(output=out, problems={w: error for w in wrt})
    found = {w: to_numpy(v) for w, v in zip(wrt, values, strict=True)}
    for w in pair.channel_params if pair and case else ():
        found[w] = _from_channels(found[w], case.params[w].shape)
    return Outcome(output=out, grads=found)


def _from_channels(value: Any, ours: tuple[int, ...]) -> Any:
    """A (1, C, 1, 1) gradient as our (C,); any other shape is left for the comparison."""
    channels = (1, *ours, 1, 1)
    if isinstance(value, np.ndarray) and value.shape == channels:
        return value.reshape(ours)
    return value
