"""Conventions a library may declare, and the conversions that undo them.

backcheck never guesses a scale: a loss backward that returns the gradient of the sum
is *wrong* for a loss whose forward is the mean, unless the library says that is its
convention. A convention is declared in an adapter file (``ClassesAdapter(Conventions(
reduction="sum"))``) or on the command line (``--adapter classes:reduction=sum``), for
the whole library or for one layer (``Linear.param_grads=per-sample``, or
``Conventions(layers={"Linear": {"param_grads": "per-sample"}})``), and the adapter then
converts exactly that difference, in both directions, for every case. Layouts that can
be read off the library's own objects (the shape of the ``W`` a constructor made) are
read, not declared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from harness import catalog
from harness.case import Case
from harness.errors import UsageError
from harness.spec import Spec

CHOICES: dict[str, tuple[str, ...]] = {
    "param_grads": ("total", "per-sample"),
    "reduction": ("mean", "sum", "per-sample", "half-sum", "half-mean", "batch-mean"),
    "loss_grad": ("auto", "mean", "sum", "half-sse"),
    "targets": ("labels", "onehot"),
    "p": ("auto", "keep", "drop"),
    "bias": ("auto", "flat", "row", "column"),
    "weight": ("auto", "in-out", "out-in"),
    "activation_grad": ("chain", "local", "derivative"),
    "arrays": ("auto", "numpy", "torch"),
    "l2": ("half", "full"),
}
FLAGS = ("channels_last", "accumulate", "inverted", "unbatched", "upsampled")
TRUE, FALSE = ("1", "true", "yes", "on", ""), ("0", "false", "no", "off")
ACTIVATIONS = ("ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "SiLU", "ELU", "Softplus",
               "Identity")
"""Element-wise activations: their local derivative f'(x) has x's shape."""
CLASS_TARGETS = ("CrossEntropy", "SVMLoss", "TemporalSoftmaxLoss")
"""Losses whose target is a class index per sample (or one-hot, if declared)."""
LOSS_TERMS = {"MSELoss": "elements", "BCELoss": "elements", "CrossEntropy": "batch",
              "SVMLoss": "batch"}
"""What a loss's mean is over: every element, or the samples of the batch."""
SPATIAL = ("Conv1d", "Conv2d", "MaxPool2d", "AvgPool2d", "SpatialBatchNorm", "ConvTranspose2d")
CELLS = ("RNNCell", "GRUCell", "LSTMCell")

APPLIES: dict[str, tuple[str, Callable[[Spec], bool]]] = {
    "param_grads": ("layers with parameters", lambda s: bool(s.params)),
    "reduction": ("losses and networks", lambda s: s.kind in ("loss", "network")),
    "loss_grad": ("losses", lambda s: s.kind == "loss"),
    "targets": (", ".join(CLASS_TARGETS), lambda s: s.name in CLASS_TARGETS),
    "p": ("Dropout", lambda s: s.name == "Dropout"),
    "inverted": ("Dropout", lambda s: s.name == "Dropout"),
    "activation_grad": (", ".join(ACTIVATIONS), lambda s: s.name in ACTIVATIONS),
    "bias": ("layers with a bias", lambda s: any(p.startswith("b") for p in s.params)),
    "weight": ("layers with a weight", lambda s: "W" in s.params),
    "channels_last": (", ".join(SPATIAL), lambda s: s.name in SPATIAL),
    "unbatched": ("every layer", lambda s: True),
    "accumulate": ("layers with parameters", lambda s: bool(s.params)),
    "lr": ("layers with parameters", lambda s: bool(s.params)),
    "class_name": ("every layer", lambda s: True),
    "upsampled": ("ConvTranspose1d, ConvTranspose2d",
                  lambda s: s.name.startswith("ConvTranspose")),
}
"""For an option given to one layer: which layers it means something for."""


@dataclass(frozen=True)
class Conventions:
    """What one library does differently from backcheck's canonical API.

    Every field applies to the whole library; ``layers`` overrides some of them for one
    catalog layer (``{"Linear": {"param_grads": "per-sample"}}``). ``of(layer)`` gives
    the conventions in force for one layer.
    """

    param_grads: str = "total"
    """``per-sample``: parameter gradients are stored divided by the batch size
    (the input gradient is not)."""
    reduction: str = "mean"
    """What a loss (or a network's loss) returns, forward value and gradient alike:
    ``sum``, ``per-sample`` (a vector of N losses), ``half-sum`` / ``half-mean``
    (0.5 times the sum / the mean), ``batch-mean`` (summed over features, averaged over
    the batch)."""
    loss_grad: str = "auto"
    """Only when a loss's backward disagrees with its forward: ``sum``: the gradient of
    the sum although forward returns the mean; ``half-sse``: of ``0.5 * sum((x - t)**2)``;
    ``auto``: the gradient of what forward returns."""
    targets: str = "labels"
    """``onehot``: class-target losses take an (N, C) one-hot target, not (N,) labels."""
    p: str = "auto"
    """Dropout's ``p``: the ``keep`` or the ``drop`` probability; ``auto`` is the
    adapter's default (``cs231n``: keep, as the handout since 2017; others: drop)."""
    inverted: bool = True
    """``false``: dropout does not scale kept units by 1 / keep in training (it scales at
    test time instead)."""
    bias: str = "auto"
    """Bias shape: ``flat`` (M,), ``row`` (1, M), ``column`` (M, 1); ``auto`` reads it
    from the constructed layer."""
    weight: str = "auto"
    """``in-out`` or ``out-in``; ``auto`` reads it from the constructed layer's shape."""
    channels_last: bool = False
    """Convolutions and pools take (N, H, W, C) with (kh, kw, in, out) kernels."""
    unbatched: bool = False
    """A layer takes one sample without its batch axis (x (D,), not (1, D); a cell's h
    (H,) too): it is run on the one-sample cases, the others are unsupported."""
    activation_grad: str = "chain"
    """``local``: an activation's backward returns only f'(x), not ``dout * f'(x)``;
    ``derivative``: a method ``derivative()`` (or ``backward()``) taking no argument
    returns f'(x)."""
    accumulate: bool = False
    """Parameter gradients add up over backward calls until zeroed."""
    upsampled: bool = False
    """A transposed convolution written as zero insertion then a stride-1 convolution,
    built from an ``upsampling_factor`` (CMU 11-785's ``ConvTranspose1d``): run on the
    cases it computes (``harness.adapters.upsampled``), the others unsupported."""
    arrays: str = "auto"
    """``torch``: the layers compute on torch tensors; ``auto`` looks for ``torch``."""
    lr: float = 0.0
    """For layers that apply SGD themselves, a fixed learning rate they use (0: set one)."""
    network: str = ""
    """For whole networks: the catalog network they implement (``XORNet``)."""
    l2: str = "half"
    """For a CS231n ``TwoLayerNet.loss``: ``full`` when its penalty is ``reg * |W|²``
    (no 0.5); the model is then given half the case's ``reg``."""
    class_name: str = ""
    """For one layer only (``BCELoss.class=CrossEntropy``): the library's class that
    implements it, when the class's own name says another layer; that class is then not
    read as the layer it is named after."""
    layers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, hash=False)
    """Per catalog layer, the options that differ from the library-wide ones."""

    def __post_init__(self) -> None:
        for key in KEYS:
            if key in CHOICES and getattr(self, key) not in CHOICES[key]:
                _bad_value(key, getattr(self, key))
        for layer, options in self.layers.items():
            spec = _layer(layer)
            for key, value in dict(options).items():
                _check_layer_key(spec, key)
                if key in CHOICES and value not in CHOICES[key]:
                    _bad_value(f"{layer}.{key}", value)

    def of(self, layer: str) -> Conventions:
        """The conventions in force for catalog layer ``layer``."""
        options = self.layers.get(layer)
        return replace(self, **dict(options), layers={}) if options else replace(self, layers={})

    def declared(self, layer: str, key: str) -> bool:
        """Whether ``key`` was given (for the library or for ``layer``), not defaulted."""
        default = next(f.default for f in fields(Conventions) if f.name == key)
        return key in self.layers.get(layer, {}) or getattr(self, key) != default


KEYS = tuple(f.name for f in fields(Conventions) if f.name != "layers")
ALIASES = {"class": "class_name"}
"""Option names as written (``BCELoss.class=``) -> the field they set."""


def parse(text: str, base: Conventions | None = None) -> Conventions:
    """``"reduction=sum,Linear.param_grads=per-sample"`` as ``Conventions`` (a usage
    error names the bad part)."""
    conventions = base or Conventions()
    overall: dict[str, Any] = {}
    layers: dict[str, dict[str, Any]] = {k: dict(v) for k, v in conventions.layers.items()}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        layer, _, key = name.strip().rpartition(".")
        key = key.strip().replace("-", "_")
        key = ALIASES.get(key, key)
        if key not in KEYS:
            raise UsageError(f"unknown adapter option {key!r}", hint=f"valid: {', '.join(KEYS)}")
        parsed = _value(f"{layer}.{key}" if layer else key, key, value.strip())
        if layer:
            _check_layer_key(_layer(layer), key)
            layers.setdefault(layer, {})[key] = parsed
        else:
            overall[key] = parsed
    return replace(conventions, **overall, layers=layers)


def _layer(name: str) -> Spec:
    spec = catalog.specs().get(name)
    if spec is None:
        raise UsageError(f"unknown layer {name!r} in an adapter option",
                         hint=f"valid: {', '.join(catalog.specs())}")
    return spec


def _check_layer_key(spec: Spec, key: str) -> None:
    if key not in KEYS:
        raise UsageError(f"unknown adapter option {spec.name}.{key}",
                         hint=f"valid: {', '.join(KEYS)}")
    if key in APPLIES and not APPLIES[key][1](spec):
        raise UsageError(f"adapter option {key} does not apply to {spec.name}",
                         hint=f"it applies to {APPLIES[key][0]}")


def _bad_value(key: str, value: Any) -> None:
    name = key.rpartition(".")[2]
    raise UsageError(f"adapter option {key}={value!r} is not valid",
                     hint=f"choose one of {', '.join(CHOICES[name])}")


def _value(where: str, key: str, value: str) -> Any:
    if key in CHOICES:
        if value not in CHOICES[key]:
            _bad_value(where, value)
        return value
    if key in FLAGS:
        if value.lower() not in (*TRUE, *FALSE):
            raise UsageError(f"adapter option {where}={value!r} is not valid",
                             hint="choose true or false")
        return value.lower() in TRUE
    if key == "lr":
        try:
            return float(value)
        except ValueError:
            raise UsageError(f"adapter option {where}={value!r} is not a number") from None
    return value


# --- the conversions ------------------------------------------------------------------


def batch_size(case: Case) -> int:
    """N, the first axis of the case's first input."""
    first = next(iter(case.inputs.values()))
    return int(first.shape[0]) if np.ndim(first) else 1


def terms(spec: Spec, case: Case) -> int:
    """How many terms the canonical loss averages: elements, or samples."""
    if spec.kind == "network":
        return int(np.size(case.inputs["target"])) if spec.name != "TwoLayerNet" else (
            batch_size(case))
    x = case.inputs["x"]
    return int(x.size) if LOSS_TERMS.get(spec.name, "batch") == "elements" else batch_size(case)


def reduction_factor(spec: Spec, case: Case, reduction: str) -> float:
    """The library's loss divided by backcheck's (the mean), for a scalar reduction;
    for ``per-sample``, the sum of the N losses over their mean (N)."""
    count = terms(spec, case)
    return {"mean": 1.0, "sum": float(count), "half-sum": count / 2.0, "half-mean": 0.5,
            "batch-mean": count / batch_size(case),
            "per-sample": float(batch_size(case))}[reduction]


def output(spec: Spec, case: Case, conventions: Conventions, value: Any) -> Any:
    """A loss's (or a network's) forward value in backcheck's convention (the mean)."""
    if spec.kind not in ("loss", "network") or not _numeric(value):
        return value
    value = np.asarray(value)
    if conventions.reduction == "per-sample":
        return value.mean(dtype=np.float64).astype(value.dtype) if value.ndim else value
    factor = reduction_factor(spec, case, conventions.reduction)
    return value if factor == 1.0 else (value / factor).astype(value.dtype)


def upstream(spec: Spec, conventions: Conventions, dout: np.ndarray,
             out_shape: tuple[int, ...]) -> np.ndarray:
    """The upstream gradient in the library's form: for a per-sample loss, one entry
    per loss it returned (each the scalar upstream gradient)."""
    if spec.kind == "loss" and conventions.reduction == "per-sample" and out_shape:
        return np.full(out_shape, dout, dtype=np.asarray(dout).dtype)
    return dout


def grad_scale(spec: Spec, case: Case, name: str, conventions: Conventions) -> float:
    """The factor that turns the library's gradient of ``name`` into backcheck's."""
    if spec.kind == "loss" and name == "x":
        return _loss_scale(spec, case, conventions)
    scale = 1.0
    if spec.kind == "network":
        scale /= reduction_factor(spec, case, conventions.reduction)
    if name in spec.params and conventions.param_grads == "per-sample":
        scale *= float(batch_size(case))
    return scale


def _loss_scale(spec: Spec, case: Case, conventions: Conventions) -> float:
    declared = conventions.loss_grad
    if declared == "auto":
        return 1.0 / reduction_factor(spec, case, conventions.reduction)
    if declared == "mean":
        return 1.0
    count = terms(spec, case)
    return 2.0 / count if declared == "half-sse" else 1.0 / count


def library_case(spec: Spec, case: Case, conventions: Conventions) -> Case:
    """``case`` with its inputs in the library's form: one-hot class targets if declared."""
    target = case.inputs.get("target")
    if conventions.targets != "onehot" or spec.name not in CLASS_TARGETS or target is None:
        return case
    x = case.inputs["x"]
    onehot = np.zeros(x.shape, dtype=x.dtype)
    np.put_along_axis(onehot, np.asarray(target)[..., None], 1.0, axis=-1)
    return replace(case, inputs={**case.inputs, "target": onehot})


def is_local_activation(spec: Spec, conventions: Conventions) -> bool:
    """Whether this layer's backward returns only the local derivative."""
    return conventions.activation_grad != "chain" and spec.name in ACTIVATIONS


def dropout_keeps(conventions: Conventions, adapter_default: str) -> bool:
    """Whether the library's dropout ``p`` is the keep probability."""
    meaning = adapter_default if conventions.p == "auto" else conventions.p
    return meaning == "keep"


def _numeric(value: Any) -> bool:
    return isinstance(value, np.ndarray | np.generic | float | int) and (
        np.asarray(value).dtype.kind in "fiu")


def with_target_hint(spec: Spec, declared: Conventions, outcome: Any,
                     retry: Callable[[Conventions], Any], adapter: str) -> Any:
    """A class-target loss that raised on integer labels but runs on one-hot targets:
    its error says which option declares that (nothing is converted without it)."""
    error = getattr(outcome, "error", None)
    if error is None or spec.name not in CLASS_TARGETS or declared.targets != "labels":
        return outcome
    if getattr(retry(replace(declared, targets="onehot")), "error", None) is not None:
        return outcome
    hint = (f"; it runs with one-hot (N, C) targets: if it takes those, declare "
            f"--adapter {adapter}:{spec.name}.targets=onehot")
    return replace(outcome, error=replace(error, message=error.message + hint))


LAYER_OPTIONS = ("param_grads", "reduction", "loss_grad", "targets", "p", "inverted", "bias",
                 "weight", "channels_last", "activation_grad", "accumulate", "arrays",
                 "unbatched", "upsampled", "class_name")
"""What a reader of layer objects converts (``harness.adapters.instance``)."""
READS: dict[str, tuple[str, ...]] = {
    "classes": LAYER_OPTIONS,
    "sgd": (*(o for o in LAYER_OPTIONS if o not in ("accumulate", "upsampled")), "lr"),
    "cs231n": ("reduction", "loss_grad", "targets", "p", "inverted", "l2"),
    "columnar": ("reduction", "param_grads", "network"),
}
"""Built-in adapter -> the options it converts. Any other option given to it is a usage
error, never silently ignored, and a failure's advice names only these (``sgd`` reads
gradients off the step, so nothing accumulates, and the upsample-then-convolve
transposed convolution is CMU 11-785's, whose layers store gradients; ``cs231n``'s
functions have the handout's fixed layouts; a ``columnar`` network is one cost / backward pair)."""
TAKES_OPTIONS = tuple(READS)


def unread(declared: Conventions, adapter: str) -> list[str]:
    """The options in ``declared`` (``key`` or ``Layer.key``) that ``adapter`` does not
    convert; none for an adapter that is not built in."""
    reads = READS.get(adapter, KEYS)
    defaults = Conventions()
    given = [k for k in KEYS if getattr(declared, k) != getattr(defaults, k)]
    given += [f"{layer}.{k}" for layer, options in declared.layers.items() for k in options]
    return [g for g in given if g.rpartition(".")[2] not in reads]


def advice(spec: Spec, case: Case, quantity: str, actual: Any, expected: Any,
           adapter: str) -> str:
    """For a failed check that is off by exactly what a convention converts, the option
    that declares it to ``adapter`` (``""`` when none explains it, or the adapter takes
    no options: no advice beats a wrong one)."""
    if adapter not in TAKES_OPTIONS or not (_numeric(actual) and _numeric(expected)):
        return ""
    got, want = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    option = next((o for o, hypothesis in _hypotheses(spec, case, quantity, want)
                   if _reads(adapter, o) and _fits(got, hypothesis)
                   and not _fits(want, hypothesis)), "")
    return _declare(adapter, option) if option else ""


def onehot_advice(spec: Spec, quantity: str, actual: Any, expected: Any, adapter: str,
                  onehot: Mapping[str, Any] | None) -> str:
    """For a class-target loss that is wrong on integer labels but right on one-hot
    targets (``onehot``: what the ``onehot`` probe saw it give), the option that declares
    them; ``""`` when that does not explain the failure. Values on labels are never
    converted without the declaration: a one-hot library mistaken for a buggy one is
    told how to say so."""
    key = "out" if quantity == "out" else quantity[1:]
    value = (onehot or {}).get(key)
    if (adapter not in TAKES_OPTIONS or spec.name not in CLASS_TARGETS
            or not (_numeric(value) and _numeric(expected))):
        return ""
    want = np.asarray(expected, np.float64)
    if not _fits(np.asarray(value, np.float64), want):
        return ""
    if _numeric(actual) and _fits(np.asarray(actual, np.float64), want):
        return ""
    return _declare(adapter, f"{spec.name}.targets=onehot")


def _declare(adapter: str, option: str) -> str:
    return f"if that is the library's convention, declare it: --adapter {adapter}:{option}."


def _reads(adapter: str, option: str) -> bool:
    """Whether ``adapter`` converts the option advised as ``Layer.key=value (...)``."""
    return option.partition("=")[0].rpartition(".")[2] in READS[adapter]


def _hypotheses(spec: Spec, case: Case, quantity: str, want: np.ndarray):
    """(option, what the library's value would be under it) pairs for this quantity."""
    name, n = quantity[1:], batch_size(case)
    if (spec.kind in ("loss", "network") and quantity in ("out", "dx")) or spec.kind == "network":
        scalar = [r for r in CHOICES["reduction"] if r != "per-sample"]
        factors = [reduction_factor(spec, case, r) for r in scalar]
        for reduction, factor in zip(scalar[1:], factors[1:], strict=True):
            if factors.count(factor) > 1:
                continue  # this case cannot tell it from another (one term: sum is mean)
            option = f"{spec.name}.reduction={reduction}"
            if quantity == "dx" and reduction in ("sum", "half-sum"):
                only = "sum" if reduction == "sum" else "half-sse"
                option += f" (or {spec.name}.loss_grad={only} if only its backward does so)"
            yield option, want * reduction_factor(spec, case, reduction)
    if name in spec.params and n > 1 and spec.kind != "network":
        yield f"{spec.name}.param_grads=per-sample", want / n
    if spec.name == "Dropout" and quantity == "out" and "p" in case.config:
        keep = 1.0 - float(case.config["p"])
        yield "Dropout.inverted=false", want * keep
        if 0 < keep < 1:
            yield "Dropout.p=keep", want * keep / (1.0 - keep)
    if spec.name in ACTIVATIONS and quantity == "dx":
        with np.errstate(divide="ignore", invalid="ignore"):
            yield f"{spec.name}.activation_grad=local", want / np.asarray(case.upstream)


def _fits(got: np.ndarray, hypothesis: np.ndarray) -> bool:
    """Equal up to float32-level noise (a scalar and a one-element array compare)."""
    hypothesis = np.asarray(hypothesis)
    if got.size == hypothesis.size == 1:
        got, hypothesis = got.reshape(()), hypothesis.reshape(())
    if got.shape != np.shape(hypothesis) or not np.all(np.isfinite(hypothesis)):
        return False
    scale = max(float(np.max(np.abs(hypothesis), initial=0.0)), 1e-12)
    return bool(np.all(np.abs(got - hypothesis) <= 2e-3 * scale + 1e-12))
