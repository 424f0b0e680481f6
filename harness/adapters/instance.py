"""One layer object of a class-based library, built and driven on one case.

``LibraryLayer`` hides how the library's class differs from backcheck's API: what its
constructor wants (sizes or arrays, under any usual name), where it keeps its
parameters and in which layout, whether it computes on torch tensors, what
``backward`` takes and where the gradients end up (returned as an array, a tuple or a
dict, or stored on the object as ``grad_W``, ``dW``, ``dweights``...). Everything it
returns is in backcheck's conventions.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from harness.adapters import (
    arguments,
    cells,
    layout,
    lazy,
    lossobjects,
    modes,
    names,
    pointwise,
    queues,
    signatures,
    stacked,
    sublayers,
    upsampled,
)
from harness.adapters import conventions as declared_as
from harness.adapters.calls import UPSTREAM, CallFailed, call, to_numpy, watch
from harness.adapters.conventions import Conventions, grad_scale, is_local_activation
from harness.case import Case
from harness.outcome import Outcome, RunError
from harness.spec import Spec

MISSING = object()
INPUT_KEYS = ("x", "dx", "X", "dX", "input", "inputs", "grad_input", "dinput", "d_input",
              "dL_dx", "grad_x", "dinputs")


class LibraryLayer:
    """A library's layer object with the case's parameters installed in its layout."""

    def __init__(self, cls: type, spec: Spec, case: Case, conventions: Conventions):
        self.cls, self.spec, self.case, self.conventions = cls, spec, case, conventions
        self.torch = layout.uses_torch(cls, conventions)
        self.layout = layout.for_conventions(spec, case, conventions)
        self.passed: dict[str, str] = {}
        self.roles: set[str] = set()
        self.tables: dict[str, str] = {}
        self.holders: dict[str, Any] = {}
        self.splits: dict[str, cells.Split] = {}
        self.upsampled = conventions.upsampled
        if self.upsampled:
            upsampled.kernel(self.layout, case.params["W"])
        self.obj = self._construct()
        lazy.prepare(self.obj, np.shape(case.inputs[spec.inputs[0]]), self.initializer_optimizer)
        self.attrs = self._install_all()
        self._configure()

    # construction -------------------------------------------------------------------

    def _construct(self) -> Any:
        kwargs = {}
        for param in _parameters(self.cls):
            if names.role(param.name) == "init" and param.default is not param.empty:
                continue
            value = self.argument(param.name)
            if value is not MISSING:
                kwargs[param.name] = self._spelled(param, value)
            elif param.default is inspect.Parameter.empty:
                raise CallFailed(RunError(
                    "exception", f"cannot construct {self.cls.__name__}: no value known for "
                    f"its argument {param.name!r} (declare it in an adapter file, see "
                    "the Adapters section of the README)" + self._factor_hint(param.name)))
        try:
            return call(f"{self.cls.__name__}.__init__({_shown(kwargs)})", self.cls, **kwargs)
        except CallFailed:
            shapes = {k: arguments.image_shape(v) for k, v in kwargs.items()
                      if names.role(k) == "shape"}
            if not shapes or None in shapes.values():
                raise
            kwargs = {**kwargs, **shapes}
            return call(f"{self.cls.__name__}.__init__({_shown(kwargs)})", self.cls, **kwargs)

    def _spelled(self, param: inspect.Parameter, value: Any) -> Any:
        """``value`` as ``param``'s signature wants it; a value it cannot say fails the
        case with the selector of the cases the layer can run."""
        try:
            return arguments.spelled(param, names.role(param.name), value, self._config())
        except arguments.Inexpressible as refused:
            cases = (self._unpadded(value) if refused.key == "padding"
                     else self._one_per_axis_cases())
            raise CallFailed(RunError(
                "exception", f"{self.cls.__name__} takes {refused}, so it cannot run this "
                f"case; run the cases it can express: --cases '{cases}'")) from None

    def _one_per_axis_cases(self) -> str:
        """The ``--cases`` selector that leaves out this layer's per-axis variants."""
        terms = []
        for variant in self.spec.variants:
            key = next((k for k in ("stride", "padding") if isinstance(variant.get(k), tuple)
                        and len(set(variant[k])) > 1), None)
            if key is not None:
                terms.append(f"{key}!={variant[key]}")
        return f"{self.spec.name}:{','.join(dict.fromkeys(terms))}"

    def _factor_hint(self, name: str) -> str:
        """For an undeclared upsample-then-convolve ``ConvTranspose``: the option."""
        if name not in upsampled.FACTORS or not self.spec.name.startswith("ConvTranspose"):
            return ""
        return (f"; if it upsamples by zero insertion then convolves with stride 1, "
                f"declare --adapter classes:{self.spec.name}.upsampled")

    def _config(self) -> dict[str, Any]:
        """The case's configuration and its kernel's sizes (``kernel``), for respelling."""
        W = self.case.params.get("W")
        kernel = tuple(int(k) for k in W.shape[2:]) if W is not None and W.ndim > 2 else ()
        return {**self.case.config, "kernel": kernel}

    def initializer_optimizer(self) -> Any:
        """What an ``initialize(optimizer)`` is given (``lazy``): none here."""
        return None

    def argument(self, name: str) -> Any:
        """The value for constructor argument ``name``, or ``MISSING``; a name with
        several roles (``size``) takes the first the case has a value for."""
        if self.upsampled and name in upsampled.FACTORS:
            self.roles.add("stride")
            return upsampled.factor(self.case)
        mode = modes.value(self.cls, self.spec.name, name)
        if mode is not None:
            return mode
        for param in self.spec.params:
            if name in names.PARAMS.get(param, (param,)):
                self.passed[param] = name
                return self.array(param, self.case.params[param])
        if name in self.case.config and names.role(name) not in ("p", "keep"):
            self.roles.add(name)
            return self.case.config[name]
        self.roles.add(names.role(name))
        for role in names.roles(name):
            value = self.sized(role)
            if value is not MISSING:
                self.roles.add(role)
                return value
        return MISSING

    def sized(self, role: str) -> Any:
        """A size or hyper-parameter for a constructor role (``in``, ``stride``...)."""
        params, config = self.case.params, self.case.config
        W = params.get("W")
        conv = W is not None and W.ndim > 2
        # A transposed convolution's W is (in, out, *kernel), as a Linear's is.
        transposed = self.case.layer.startswith("ConvTranspose")
        if role == "in" and W is not None:
            return int(W.shape[1] if conv and not transposed else W.shape[0])
        if role == "out" and W is not None:
            return int(W.shape[0] if conv and not transposed else W.shape[1])
        if role in cells.SIZES and "Wh" in params:
            return cells.size(role, params)
        if role in ("features", "in", "out") and "gamma" in params:
            return int(params["gamma"].shape[0])
        if role == "kernel_size":
            if conv:
                kernel = tuple(int(k) for k in W.shape[2:])
                return kernel[0] if len(set(kernel)) == 1 else kernel
            return config.get("kernel_size", MISSING)
        if role in ("kernel_h", "kernel_w"):
            return self._kernel_side(role == "kernel_w")
        if role == "shape":
            shape = self.layout.theirs("x", self.case.inputs["x"]).shape
            return tuple(shape if self.conventions.unbatched else shape[1:])
        if role == "init":
            return _zeros
        if role in ("keep", "p") and "p" in config:
            keeps = role == "keep" or declared_as.dropout_keeps(self.conventions, "drop")
            return 1.0 - config["p"] if keeps else config["p"]
        return config.get(role, MISSING) if role else MISSING

    def _kernel_side(self, width: bool) -> Any:
        """A kernel's height or width (``Conv(X_dim, n_filter, h_filter, w_filter...)``)."""
        kernel = self._config()["kernel"] or self.case.config.get("kernel_size", MISSING)
        if isinstance(kernel, int):
            return kernel
        return kernel[-1 if width else 0] if kernel is not MISSING else MISSING

    def _install_all(self) -> dict[str, str]:
        """Install every parameter; a layer that creates its parameters in its first
        forward (from the input's shape) is run forward once first, then installed."""
        if all(self._location(p) is not None for p in self.spec.params):
            return {p: self._install(p) for p in self.spec.params}
        inputs = [self.library(n, self.case.inputs[n]) for n in self.spec.inputs]
        self.call_forward(inputs)
        return {p: self._install(p) for p in self.spec.params}

    def _location(self, param: str) -> str | None:
        """The attribute (or key of a parameter dict) holding ``param``, or ``None``:
        a recurrent cell's pieces first (``harness.adapters.cells``), then the object's
        own attributes and dicts, then those of its one sub-layer holding it."""
        split = cells.find(self.obj, self.spec.name, param, self.case.params)
        if split is not None:
            self.splits[param] = split
            return split.label
        aliases = names.PARAMS.get(param, (param,))
        attr = next((a for a in aliases if names.has_array(self.obj, a)), None)
        if attr is not None:
            return attr
        for holder in names.PARAM_DICTS:
            table = getattr(self.obj, holder, None)
            if isinstance(table, Mapping):
                key = next((a for a in aliases if hasattr(table.get(a), "shape")), None)
                if key is not None:
                    self.tables[param] = holder
                    return key
        found = sublayers.holder(self.obj, aliases)
        if found is not None:
            self.holders[param], attr = found
            return attr
        return self.passed.get(param)

    def param_value(self, param: str) -> Any:
        """The library's current value of ``param`` (an attribute or a dict entry)."""
        if param in self.splits:
            return self.splits[param].value()
        holder = self.tables.get(param)
        where = getattr(self.obj, holder) if holder else None
        attr = self.attrs[param]
        return where[attr] if where is not None else getattr(self.owner(param), attr)

    def owner(self, param: str) -> Any:
        """The object whose attributes hold ``param``: the layer or its sub-layer."""
        return self.holders.get(param, self.obj)

    def _install(self, param: str) -> str:
        """Put the case's ``param`` on the object; the attribute name it lives under."""
        ours = self.case.params[param]
        attr = self._location(param)
        if attr is None:
            raise CallFailed(RunError(
                "exception", f"{self.cls.__name__} has no parameter attribute for {param} "
                f"(looked for {', '.join(names.PARAMS.get(param, (param,)))}, also in "
                f"{', '.join(f'self.{d}' for d in names.PARAM_DICTS)}, after one forward)"))
        if param in self.splits:
            self.splits[param].install(ours, lambda a: layout.library_array(a, self.torch))
            return attr
        holder = self.tables.get(param)
        table = getattr(self.obj, holder) if holder else None
        owner = self.owner(param)
        existing = table[attr] if table is not None else getattr(owner, attr, None)
        if param not in self.passed and existing is not None:
            self._read_layout(param, tuple(getattr(existing, "shape", ())), ours)
        if table is not None:
            table[attr] = self.array(param, ours)
        else:
            setattr(owner, attr, self.array(param, ours))
        return attr

    def _read_layout(self, param: str, shape: tuple[int, ...], ours: np.ndarray) -> None:
        if param == "W" and ours.ndim == 2 and self.conventions.weight == "auto":
            kind = (self._probe_weight() if ours.shape[0] == ours.shape[1]
                    else layout.weight_kind(shape, ours.shape))
            layout.weight(self.layout, ours.shape, kind)
        if ours.ndim == 1 and layout.broadcast_shape(shape, ours.size):
            layout.shaped(self.layout, param, shape)
        elif ours.ndim == 1 and (self.conventions.bias == "auto" or not param.startswith("b")):
            layout.bias(self.layout, param, ours.size, layout.bias_kind(shape))

    def _probe_weight(self) -> str:
        """A square ``W`` does not show its layout: build one with one more output and look."""
        W = self.case.params["W"]
        wider = {"W": np.zeros((W.shape[0], W.shape[1] + 1), W.dtype),
                 "b": np.zeros(W.shape[1] + 1, W.dtype)}
        probe = replace(self.case, params={**self.case.params, **wider})
        built = LibraryLayer(self.cls, self.spec, probe, self.conventions)
        return "out-in" if "W" in built.layout.moves else "in-out"

    def _configure(self) -> None:
        """Hyper-parameters the constructor did not take, set on matching attributes; a
        padding the layer can be given neither way means it cannot run this case."""
        for role in ("stride", "padding", "eps", "negative_slope", "p", "kernel_size"):
            value = self.sized(role)
            if value is MISSING or role in self.roles:
                continue
            taken = False
            for attr in names.CONSTRUCTOR[role]:
                taken = self._set_number(attr, value) or taken
            if (role == "padding" and not taken and not self.upsampled
                    and np.any(np.asarray(value) != 0)):
                raise CallFailed(RunError(
                    "exception", f"{self.cls.__name__} takes no padding (no argument or "
                    f"attribute for it), so it cannot run this case (padding={value}); "
                    f"run the cases it can express: --cases '{self._unpadded(value)}'"))
        for key, value in self.case.config.items():
            if key not in self.roles:
                self._set_number(key, value)

    def _set_number(self, attr: str, value: Any) -> bool:
        """Set a hyper-parameter attribute the object already has as a number or tuple
        (ELU's ``self.alpha``, named as the case's ``alpha``), in its form: an int for a
        tuple as one per axis, a tuple whose axes agree for an int; whether it was set."""
        current = getattr(self.obj, attr, None)
        if not isinstance(current, int | float | tuple) or isinstance(current, bool):
            return False
        if isinstance(current, tuple) and isinstance(value, int):
            value = (value,) * len(current)
        elif isinstance(value, tuple) and not isinstance(current, tuple):
            if len(set(value)) > 1:
                return False
            value = value[0]
        setattr(self.obj, attr, value)
        return True

    def _unpadded(self, value: Any) -> str:
        """The ``--cases`` selector of this layer's unpadded cases: ``padding=0`` where
        every variant gives a padding, else ``padding!=V`` (the others give none)."""
        if all("padding" in v for v in self.spec.variants):
            return f"{self.spec.name}:padding=0"
        return f"{self.spec.name}:padding!={value}"

    def array(self, name: str, ours: np.ndarray) -> Any:
        """A fresh copy of one of our arrays in the library's layout and array type; a
        copy of an input or of the upstream gradient is watched for in-place changes."""
        theirs = self.library(name, ours)
        watched = UPSTREAM if ours is self.case.upstream else (
            name if ours is self.case.inputs.get(name) else None)
        if watched is None:
            return theirs
        return watch(watched, ours, theirs, back=lambda value: self.layout.ours(name, value),
                     make=lambda other: self.library(name, other))

    def library(self, name: str, ours: np.ndarray) -> Any:
        """``ours`` in the library's layout and array type (a copy)."""
        return layout.library_array(self.layout.theirs(name, ours), self.torch)

    # forward and backward -----------------------------------------------------------

    def forward(self) -> Any:
        """The forward output in backcheck's layout."""
        inputs = [self.array(n, self.case.inputs[n]) for n in self.spec.inputs]
        self.probabilities = None
        if self.spec.name in PROBABILITY_LOSSES and self._takes_probabilities():
            self.probabilities = _softmax(self.case.inputs["x"])
            inputs[0] = self.library("x", self.probabilities)
        self.passed_inputs = inputs
        out = stacked.joined(self.spec, to_numpy(self.call_forward(inputs)))
        self.saw = {"out": out, **dict(zip(self.spec.inputs, inputs, strict=True))}
        self.out_shape = np.shape(out)
        ours = self.layout.ours("out", self._loss_value(out))
        return declared_as.output(self.spec, self.case, self.conventions, ours)

    def _loss_value(self, out: Any) -> Any:
        """A loss's per-sample vector averaged when the class has ``calculate()`` (the
        library's own mean of what forward returns, as in nnfs); a loss object's loss of
        every element averaged (``lossobjects``)."""
        if self.spec.kind == "loss" and lossobjects.has_api(self.cls) and np.shape(out) == (
                np.shape(self.case.inputs["x"])):
            return np.mean(out, dtype=np.float64).astype(out.dtype)
        if self.spec.kind == "loss" and _per_sample(out, self.case) and callable(
                getattr(self.obj, "calculate", None)):
            return out.mean(dtype=np.float64).astype(out.dtype)
        return out

    def _takes_probabilities(self) -> bool:
        """Whether a cross-entropy class takes probabilities (``Loss_CategoricalCrossentropy``
        after a softmax) rather than logits: a loss of logits does not change when every
        input of a row moves by the same amount, a loss of probabilities does."""
        p = _softmax(self.case.inputs["x"])
        target = self.library("target", self.case.inputs["target"])
        try:
            values = [self._loss_value(to_numpy(self.call_forward(
                [self.library("x", q), target]))) for q in (p, p + 1)]
        except CallFailed:
            return False
        a, b = (np.asarray(v, dtype=np.float64) for v in values)
        if a.shape != b.shape or not np.all(np.isfinite(a)):
            return False
        return bool(np.max(np.abs(a - b)) > 1e-2 * max(float(np.max(np.abs(a))), 1e-3))

    def call_forward(self, inputs: list[Any]) -> Any:
        """Call forward (under any of its names) with ``training=True`` where it asks for
        a mode, a loss's inputs in the order its names say (``signatures.loss_order``);
        a forward that returns ``None`` is read from ``self.output``."""
        forward = queues.fresh(self.obj, names.method(self.obj, "forward")
                               or lossobjects.forward(self.obj))
        modes = {p: True for p in signatures.arguments(forward) if p in names.TRAINING}
        if self.spec.kind == "loss":
            inputs = signatures.loss_order(forward, inputs)
        out = call(f"{self.cls.__name__}.{_name(forward)}", forward, *inputs, **modes)
        if out is None:
            out = next((getattr(self.obj, a) for a in names.OUTPUTS
                        if _is_data(getattr(self.obj, a, None))), None)
        return out

    def flush(self) -> None:
        """Zero the gradients a library accumulates, before the backward that is read:
        ``zero_grad()`` when it has one, else every stored gradient set to 0 in place."""
        zero = getattr(self.obj, "zero_grad", None)
        if callable(zero):
            call(f"{self.cls.__name__}.zero_grad", zero)
            return
        for split in self.splits.values():
            split.zero(_first_set)
        for value in self._stored(copy=False).values():
            if value is not None and hasattr(value, "shape"):
                try:
                    value[...] = 0
                except (TypeError, ValueError):
                    continue

    def backward(self) -> Outcome:
        """Run backward and collect every gradient of ``spec.wrt``."""
        self.flush()
        before = self._stored() if self.conventions.accumulate else {}
        found = self._gradients(self._call_backward(), before)
        if getattr(self, "probabilities", None) is not None and found.get("x") is not None:
            found["x"] = _through_softmax(self.probabilities, to_numpy(found["x"]))
        grads, problems = {}, {}
        for name in self.spec.wrt:
            value = found.get(name)
            if value is None:
                problems[name] = RunError("bad-return", self._missing(name))
                continue
            grads[name] = self._ours(name, to_numpy(value))
        return Outcome(output=None, grads=grads, problems=problems)

    def _call_backward(self) -> Any:
        upstream = declared_as.upstream(self.spec, self.conventions, self.case.upstream,
                                        getattr(self, "out_shape", ()))
        at_input = pointwise.derivative(self.obj) if self.spec.name in pointwise.LAYERS else None
        if at_input is not None:
            local = call(f"{self.cls.__name__}.{_name(at_input)}", at_input,
                         *self.passed_inputs[:1])
            return upstream * to_numpy(local)
        backward = self._backward_method()
        kwargs = self.backward_kwargs(backward)
        who = f"{self.cls.__name__}.{_name(backward)}"
        if self.spec.kind == "loss" and _positional_count(backward) >= 2:
            given = signatures.loss_order(backward, self._predictions())
            return _times(call(who, backward, *given), float(np.sum(upstream)))
        if is_local_activation(self.spec, self.conventions):
            takes = _required_count if self.conventions.activation_grad == "derivative" \
                else _positional_count
            args = [self.array("out", upstream)] if takes(backward) else []
            local = to_numpy(call(who, backward, *args, **kwargs))
            constant = isinstance(local, int | float) and not isinstance(local, bool)
            return upstream * local if isinstance(local, np.ndarray) or constant else local
        if _positional_count(backward) == 0:
            result = call(who, backward, **kwargs)
            return _times(result, float(np.sum(upstream))) if upstream.ndim == 0 else result
        pieces = stacked.split(self.spec, upstream)
        if len(pieces) > 1 and _positional_count(backward) == len(pieces):
            return call(who, backward, *(self.library("out", p) for p in pieces), **kwargs)
        if _positional_count(backward) == 2 and _first_is_input(backward):
            return call(who, backward, *self.passed_inputs[:1], self.array("out", upstream),
                        **kwargs)
        extra = cells.recalled(signatures.required(backward)[1:], getattr(self, "saw", {}))
        return call(who, backward, self.array("out", upstream), *(extra or ()), **kwargs)

    def _predictions(self) -> list[Any]:
        """What a loss's ``backward(y_pred, y_true)`` compares with the target: the
        array of x's shape its forward kept in ``self.output`` (a softmax-loss keeps its
        probabilities there), else the forward's own inputs; in backcheck's order
        (prediction, target), which ``signatures.loss_order`` puts in backward's."""
        inputs = list(self.passed_inputs)
        kept = getattr(self.obj, "output", None)
        if _is_data(kept) and np.shape(kept) == np.shape(inputs[0]):
            inputs[0] = kept
        return inputs

    def _backward_method(self) -> Any:
        """``backward``, or ``derivative()`` where declared; an activation whose
        backward takes no ``dout`` (or that has only ``derivative``) must declare it."""
        backward = names.method(self.obj, "backward") or lossobjects.backward(self.obj)
        derivative = getattr(self.obj, "derivative", None)
        name = self.cls.__name__
        if self.conventions.activation_grad == "derivative" and callable(derivative):
            return derivative
        local = self.spec.name in declared_as.ACTIVATIONS and not is_local_activation(
            self.spec, self.conventions)
        if local and (not callable(backward) or _positional_count(backward) == 0):
            what = "has no backward" if not callable(backward) else "takes no dout in backward"
            raise CallFailed(RunError(
                "bad-return", f"{name} {what}: if its backward() or derivative() returns "
                f"f'(x), declare --adapter classes:{self.spec.name}.activation_grad=derivative"))
        return backward

    def backward_kwargs(self, backward: Any) -> dict[str, Any]:
        """Extra keyword arguments for backward (the SGD adapter passes a learning rate)."""
        return {}

    def _ours(self, name: str, value: Any) -> Any:
        value = self.layout.ours(name, value)
        if not isinstance(value, np.ndarray):
            return value
        scale = grad_scale(self.spec, self.case, name, self.conventions)
        return value if scale == 1.0 else (value * scale).astype(value.dtype)

    def _gradients(self, returned: Any, before: dict[str, Any]) -> dict[str, Any]:
        """Returned gradients, then stored ones; with ``accumulate``, a stored gradient
        counts only by what this backward added to it."""
        found = _returned(self.spec, returned)
        if returned is None:
            kept = next((getattr(self.obj, a) for a in names.INPUT_GRADS
                         if _is_data(getattr(self.obj, a, None))), None)
            found.update({"x": kept} if kept is not None else {})
        for param, value in self._stored().items():
            if param in found or value is None:
                continue
            previous = before.get(param)
            found[param] = value - previous if _same_shape(value, previous) else value
        return found

    def _stored(self, copy: bool = True) -> dict[str, Any]:
        """Parameter gradients the object keeps as attributes (or in a dict attribute),
        as copies unless ``copy`` is false."""
        stored = {}
        for param, attr in self.attrs.items():
            if param in self.splits:
                value = self.splits[param].gradient(_first_set)
                stored[param] = _copy(value) if copy else value
                continue
            owner = self.owner(param)
            spellings = names.grad_names([attr, *names.PARAMS.get(param, (param,))])
            value = _first_set(owner, spellings)
            value = value if value is not None else self._in_dict(attr)
            stored[param] = _copy(value) if copy else value
        return stored

    def _in_dict(self, attr: str) -> Any:
        for holder in names.GRAD_DICTS:
            table = getattr(self.obj, holder, None)
            if isinstance(table, Mapping):
                for key in (attr, f"d{attr}", f"grad_{attr}"):
                    if table.get(key) is not None:
                        return table[key]
        return None

    def _missing(self, name: str) -> str:
        who = f"{self.cls.__name__}.backward"
        if name not in self.spec.params:
            return (f"{who} returned no gradient for the input {name!r} and set none of "
                    f"{', '.join(names.INPUT_GRADS[:4])}...")
        attr = self.attrs.get(name, name)
        return (f"{who} gave no gradient for {attr!r}: not returned, and no attribute "
                f"{', '.join(names.grad_names([attr])[:4])}... was set")


def _parameters(cls: type) -> list[inspect.Parameter]:
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        return []
    plain = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [p for p in signature.parameters.values() if p.kind in plain]


def _required_count(fn: Any) -> int:
    """Positional arguments ``fn`` cannot do without: a ``derivative``-style
    ``backward(self, state=None)`` is called with none (its ``state`` is no ``dout``)."""
    return len(signatures.required(fn))


def _positional_count(fn: Any) -> int:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
             inspect.Parameter.VAR_POSITIONAL)
    return sum(p.kind in kinds and p.default is inspect.Parameter.empty for p in params) or (
        1 if any(p.kind in kinds for p in params) else 0)


PROBABILITY_LOSSES = ("CrossEntropy",)
"""Catalog losses of logits that a library may write as a loss of probabilities: the
adapter then applies the softmax before it and the softmax's backward after it."""


def _softmax(x: np.ndarray) -> np.ndarray:
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return (shifted / shifted.sum(axis=-1, keepdims=True)).astype(x.dtype)


def _through_softmax(p: np.ndarray, grad: Any) -> Any:
    """The gradient of the logits from the gradient of the probabilities ``p``."""
    if not isinstance(grad, np.ndarray) or grad.shape != p.shape:
        return grad
    return (p * (grad - np.sum(grad * p, axis=-1, keepdims=True))).astype(grad.dtype)


def _zeros(*shape: int) -> np.ndarray:
    """An initializer a constructor demands (``Linear(in, out, weight_init_fn,
    bias_init_fn)``): zeros of the asked shape, which the case's parameters replace."""
    return np.zeros(shape)


def _name(fn: Any) -> str:
    return getattr(fn, "__name__", "forward")


def _per_sample(out: Any, case: Case) -> bool:
    """A vector of one loss per sample (N,), where backcheck's loss is a scalar."""
    x = next(iter(case.inputs.values()))
    return isinstance(out, np.ndarray) and out.ndim == 1 and np.ndim(x) >= 1 and (
        out.shape[0] == np.shape(x)[0])


def _shown(kwargs: Mapping[str, Any]) -> str:
    """The constructor's arguments as a failure names them (``in_features=3``, an array
    by its shape), so that an ``__init__`` that raises on sound sizes shows it is its own
    code that failed."""
    def one(value: Any) -> str:
        if hasattr(value, "shape"):
            return f"array{tuple(value.shape)}"
        name = getattr(value, "__name__", None)
        return name.lstrip("_") if name else repr(value)

    return ", ".join(f"{k}={one(v)}" for k, v in kwargs.items())


def _first_set(obj: Any, spellings: list[str]) -> Any:
    """The first of ``spellings`` that is set (as data) on ``obj``, or ``None``."""
    return next((getattr(obj, s) for s in spellings if _is_data(getattr(obj, s, None))), None)


def _is_data(value: Any) -> bool:
    """Set, and not a method (``grad`` may be a method of the layer)."""
    return value is not None and not callable(value)


def _same_shape(value: Any, previous: Any) -> bool:
    return isinstance(value, np.ndarray) and isinstance(previous, np.ndarray) and (
        value.shape == previous.shape)


def _copy(value: Any) -> Any:
    value = to_numpy(value)
    return value.copy() if isinstance(value, np.ndarray) else value


def _times(result: Any, factor: float) -> Any:
    if factor == 1.0:
        return result
    value = to_numpy(result)
    return value * factor if isinstance(value, np.ndarray) else result


def _returned(spec: Spec, returned: Any) -> dict[str, Any]:
    """Gradients by canonical name from what backward returned (array, tuple or dict)."""
    if returned is None:
        return {}
    if isinstance(returned, Mapping):
        return _from_mapping(spec, returned)
    if _input_then_params(returned):
        params = [w for w in spec.wrt if w != "x"]
        if len(returned[1]) == len(params):
            return {"x": returned[0], **dict(zip(params, returned[1], strict=True))}
    if isinstance(returned, tuple | list) and returned and all(
            hasattr(r, "shape") for r in returned):
        if len(returned) == len(spec.wrt):
            return dict(zip(spec.wrt, returned, strict=True))
        inputs = [n for n in spec.inputs if n in spec.wrt]
        if len(inputs) > 1 and len(returned) == len(inputs):  # a cell's (dx, dprev_h[, dprev_c])
            return dict(zip(inputs, returned, strict=True))
        return {"x": returned[0]} if len(returned) == 1 else {}
    return {"x": returned}


def _first_is_input(backward: Any) -> bool:
    """``backward(x, top_diff)``: a backward that takes the layer's input again first."""
    first = next(iter(signatures.arguments(backward)), "")
    return first in names.INPUTS


def _input_then_params(returned: Any) -> bool:
    """``(dX, [dW, db])``: the input gradient, then a list of the parameters' (empty for
    a layer without parameters), as some from-scratch libraries return them."""
    return (isinstance(returned, tuple) and len(returned) == 2
            and hasattr(returned[0], "shape") and isinstance(returned[1], list | tuple)
            and all(hasattr(r, "shape") for r in returned[1]))


def _from_mapping(spec: Spec, returned: Mapping) -> dict[str, Any]:
    found = {}
    for key, value in returned.items():
        if key in INPUT_KEYS:
            found["x"] = value
            continue
        state = _state_input(spec, key)
        if state:
            found[state] = value
            continue
        named = next((n for n in spec.inputs if n != "x" and key in (n, f"d{n}")), None)
        if named in spec.wrt:  # layers with several inputs (attention's q, k, v)
            found[named] = value
            continue
        for param in spec.params:
            aliases = names.PARAMS.get(param, (param,))
            if key in aliases or key in names.grad_names(aliases):
                found.setdefault(param, value)
    return found


def _state_input(spec: Spec, key: str) -> str | None:
    """The differentiated input other than ``x`` (a recurrent layer's ``prev_h``, ``h0``)
    that a returned key names: the input's own name, ``d<name>`` or ``grad_<name>``."""
    return next((n for n in spec.inputs[1:] if n in spec.wrt
                 and key in (n, f"d{n}", f"grad_{n}")), None)
