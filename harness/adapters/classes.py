"""Class-based layers with other names, constructors, layouts and gradient conventions.

Finds ``Dense``, ``FullyConnected``, ``Relu``, ``MSE``... (see ``names.LAYERS``), builds
each with whatever its constructor asks for (``Linear(in_features, out_features)``,
``Dense(input_dim, output_dim)``, ``Linear(W, b)``), installs the case's parameters in
the layout the object itself uses (``W`` (out, in) or ``w`` (in, out); bias (M,), (1, M)
or (M, 1)), passes torch tensors to code written for torch, and reads the gradients
wherever the class puts them. Scale conventions are never guessed: declare them (see
``harness.adapters.conventions``).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from harness import catalog
from harness.adapters import conventions as conv
from harness.adapters import dropout, modes, names, pairs, upsampled
from harness.adapters.calls import CallFailed, to_numpy
from harness.adapters.contract import Detection, Runner
from harness.adapters.conventions import Conventions
from harness.adapters.instance import LibraryLayer
from harness.case import Case
from harness.errors import UsageError
from harness.outcome import Outcome, RunError
from harness.spec import Spec


class ClassesAdapter:
    """Any class with ``forward`` and ``backward`` under a known layer name."""

    name = "classes"
    defers_to = ("native", "sgd")
    """A tie with these goes to them: they read the same classes more specifically."""
    layer_type: type[LibraryLayer] = LibraryLayer

    def __init__(self, conventions: Conventions | None = None):
        self.conventions = conventions or Conventions()
        if self.conventions.class_name:
            raise UsageError(f"adapter option class={self.conventions.class_name} names the "
                             "class of one layer", hint="write it as Layer.class=Name "
                             "(BCELoss.class=CrossEntropy)")

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        found = self.classes(namespace)
        listed = ", ".join(f"{c.__name__} as {n}" if c.__name__ != n else n
                           for n, c in found.items())
        return Detection(self.name, tuple(found), f"classes {listed or 'none'}")

    def classes(self, namespace: Mapping[str, Any]) -> dict[str, type]:
        """Catalog layer name -> the class implementing it (networks excluded); then the
        layers a library builds from a pair of functions (``harness.adapters.pairs``).
        A layer declared ``Layer.class=Name`` is that class, and the classes so named are
        not read as the layers their own names suggest."""
        named = self.named_classes(namespace)
        rest = {k: v for k, v in namespace.items() if k not in named.values()}
        found = {}
        for layer, spec in catalog.specs().items():
            cls = (names.find_class(rest, layer) or modes.find(rest, layer)
                   if spec.kind != "network" else None)
            if cls is not None:
                found[layer] = cls
        return {**pairs.classes(rest), **found,
                **{layer: namespace[name] for layer, name in named.items()}}

    def named_classes(self, namespace: Mapping[str, Any]) -> dict[str, str]:
        """Catalog layer -> the class name declared for it (``BCELoss.class=CrossEntropy``);
        a name that is no layer class of ``namespace`` is a usage error."""
        named = {layer: options["class_name"] for layer, options in self.conventions.layers.items()
                 if options.get("class_name")}
        known = names.layer_classes(namespace)
        for layer, name in named.items():
            if name not in known:
                raise UsageError(f"adapter option {layer}.class={name}: no class {name!r} "
                                 "with forward and backward in the library",
                                 hint=f"classes found: {', '.join(known) or 'none'}")
        return named

    def supports(self, layer: str, variant: Mapping[str, Any]) -> bool | str:
        """A layer declared ``unbatched`` takes one sample: the cases of a batch of more
        than one cannot be given to it; a transposed convolution declared ``upsampled``
        computes one padding per kernel size (``harness.adapters.upsampled``)."""
        declared = self.conventions.of(layer)
        if declared.unbatched and variant.get("N", 1) != 1:
            return (f"{layer} is declared unbatched (one sample, x (D,)); this case has a "
                    f"batch of {variant['N']}")
        if declared.upsampled and "kernel" in variant:
            return upsampled.unsupported(variant) or True
        return True

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        cls = self.classes(namespace).get(spec.name)
        if cls is None:
            return None
        return lambda case: self.run(cls, spec, case)

    def run(self, cls: type, spec: Spec, case: Case) -> Outcome:
        """Build, forward and backward one object of ``cls`` on ``case``."""
        declared = self.conventions.of(spec.name)
        if spec.name == "Dropout" and not _takes_mask(cls):
            return self.run_dropout(cls, spec, case, declared)
        outcome = self.run_declared(cls, spec, case, declared)
        return conv.with_target_hint(spec, declared, outcome,
                                     lambda other: self.run_declared(cls, spec, case, other),
                                     self.name)

    def run_declared(self, cls: type, spec: Spec, case: Case, declared: Conventions) -> Outcome:
        """``run`` under the conventions ``declared`` for this layer."""
        try:
            layer = self.layer_type(cls, spec, conv.library_case(spec, case, declared), declared)
            output = layer.forward()
        except CallFailed as failed:
            return Outcome(output=None, error=self._unbatched_hint(cls, spec, declared,
                                                                  failed.error))
        try:
            outcome = layer.backward()
        except CallFailed as failed:
            return Outcome.forward_only(output, spec.wrt, failed.error)
        return Outcome(output=output, grads=outcome.grads, problems=outcome.problems)

    def _unbatched_hint(self, cls: type, spec: Spec, declared: Conventions,
                        error: RunError) -> RunError:
        """A recurrent cell that fails on a batch may take one sample: say how to declare
        it (CMU 11-785's GRU cell asserts x.shape == (D,))."""
        if spec.name not in conv.CELLS or declared.unbatched or error.kind != "exception" or (
                not _takes_inputs(cls, spec)):
            return error
        return replace(error, message=f"{error.message}; if {spec.name} takes one sample "
                       f"(x (D,), h (H,)), declare --adapter {self.name}:{spec.name}.unbatched")

    def run_dropout(self, cls: type, spec: Spec, case: Case, declared: Conventions) -> Outcome:
        """A dropout class that draws its own mask, judged by that mask
        (``harness.adapters.dropout``)."""
        try:
            layer = self.layer_type(cls, spec, case, declared)
        except CallFailed as failed:
            return Outcome(output=None, error=failed.error)
        who = f"{cls.__name__}.forward"

        def attempt() -> Outcome:
            try:
                out = layer.call_forward([layer.array("x", case.inputs["x"])])
                output = layer.layout.ours("out", to_numpy(out))
            except CallFailed as failed:
                return Outcome(output=None, error=failed.error)
            try:
                return replace(layer.backward(), output=output)
            except CallFailed as failed:
                return Outcome.forward_only(output, spec.wrt, failed.error)

        def draw() -> Any:
            out = layer.call_forward([layer.library("x", case.inputs["x"])])
            return layer.layout.ours("out", to_numpy(out))

        keep = 1.0 - float(case.config["p"])
        keeps = conv.dropout_keeps(declared, "drop")
        meaning, other = ("keep", "drop") if keeps else ("drop", "keep")
        given = keep if keeps else 1.0 - keep
        library = dropout.Library(who, attempt, draw, keep, declared.inverted,
                                  f"p={given:g} as the {meaning} probability",
                                  f"--adapter {self.name}:Dropout.p={other}")
        return dropout.run(library, case)


def _takes_inputs(cls: type, spec: Spec) -> bool:
    """Whether ``forward`` takes every one of the spec's inputs (``x`` and ``prev_h``)."""
    forward = names.method(cls, "forward")
    try:
        params = list(inspect.signature(forward).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.name != "self" and p.kind in (
        p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
    return any(p.kind == p.VAR_POSITIONAL for p in positional) or (
        len(positional) >= len(spec.inputs))


def _takes_mask(cls: type) -> bool:
    """Whether ``forward`` takes the mask as an argument (backcheck's own API)."""
    forward = names.method(cls, "forward")
    try:
        return forward is not None and "mask" in inspect.signature(forward).parameters
    except (TypeError, ValueError):
        return False
