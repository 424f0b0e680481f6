"""Everything an adapter file needs, from one import: ``from harness.adapters.api import ...``.

An adapter file (``--adapter-file quill_adapter.py``) defines ``ADAPTER``. Three ways:

- a built-in adapter with declared conventions: ``classes(loss_grad="sum")``, or by its
  registered name with options, ``builtin("classes:channels_last=true")``;
- a ``LibraryAdapter``: per catalog layer, a ``Recipe`` naming the library's class,
  how to build it from a case, and where its gradients are (``stored``: the library
  keeps them on the layer, ``grad_W``, ``self.dweights``...); the layers it has no
  recipe for run through its ``base`` adapter, when it has one;
- any object with ``name``, ``detect`` and ``runner`` (``harness.adapters.contract``).

Any of them may declare what the library cannot express with ``supports(layer,
variant) -> bool | str`` (``harness.selection``): those cases are *unsupported*, not
charged. Hand the case's arrays to the library through ``fresh`` (a copy) so the
contract probes see an input changed in place; they run for every adapter
(``harness.adapters.probes``). A helper module beside the adapter file is importable,
and is copied into the sandbox with it. ``declare(adapter, translate=...)`` ports the
submission's source before it compiles (Python 2 code).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness import adapters
from harness.adapters import dropout, stacked
from harness.adapters.calls import CallFailed, call, fresh, to_numpy, watch
from harness.adapters.classes import ClassesAdapter
from harness.adapters.contract import Adapter, Detection, Runner, Translate
from harness.adapters.conventions import Conventions
from harness.case import Case
from harness.outcome import Outcome, RunError
from harness.spec import Spec

Supports = Callable[[str, Mapping[str, Any]], "bool | str"]
"""``supports(layer, variant)``: ``True``, or ``False`` / a reason for an unsupported case."""
Gradients = Callable[[Any], dict[str, Any]]
"""Reads parameter gradients off a layer object after its backward (see ``stored``)."""


def classes(supports: Supports | None = None, **conventions: Any) -> ClassesAdapter:
    """The built-in ``classes`` adapter with ``Conventions(**conventions)`` declared."""
    return declare(ClassesAdapter(Conventions(**conventions)), supports)


def builtin(name: str) -> Adapter:
    """The registered adapter ``name``, options and all: ``builtin("classes:bias=row")``
    is what ``--adapter classes:bias=row`` drives (options checked the same way)."""
    return adapters.load(name)


def declare(adapter: Any, supports: Supports | None = None,
            translate: Translate | None = None) -> Any:
    """``adapter`` with ``supports`` and ``translate`` declared (each left as it is when
    ``None``): ``translate(source) -> source`` ports the submission's source before it
    is compiled, for code that does not load as written (Python 2's ``print x``)."""
    if supports is not None:
        adapter.supports = supports
    if translate is not None:
        adapter.translate = translate
    return adapter


def stored(**attributes: str | tuple[str, Callable[[Any], Any]]) -> Gradients:
    """"This library stores its gradients on the layer": ``stored(W="g_weights",
    b="g_bias")`` reads ``layer.g_weights`` as dW; ``W=("g_weights", np.transpose)``
    converts it to backcheck's layout first."""
    def read(layer: Any) -> dict[str, Any]:
        found = {}
        for name, how in attributes.items():
            attr, convert = (how, None) if isinstance(how, str) else how
            value = getattr(layer, attr, None)
            if value is not None:
                found[name] = convert(to_numpy(value)) if convert else to_numpy(value)
        return found
    return read


def _no_gradients(layer: Any) -> dict[str, Any]:
    return {}


def _forward(layer: Any, *inputs: Any) -> Any:
    return layer.forward(*inputs)


def _backward(layer: Any, *upstream: Any) -> Any:
    return layer.backward(*upstream)


@dataclass(frozen=True)
class Recipe:
    """How to drive one catalog layer with the library's class ``cls``.

    ``build(cls, case)`` makes the object (default: ``cls()``). ``forward(layer,
    *inputs)`` returns the output in backcheck's layout (default: ``layer.forward``; a
    tuple such as an LSTM step's ``(h, c)`` is stacked); a Dropout's forward gets ``x``
    alone, since the library draws its own mask and is judged by it. ``backward(layer,
    *upstream)`` gets the upstream gradient (LSTMCell's split into ``dh, dc``) and
    returns the input's gradient (an array, or a tuple/dict by input name); ``grads``
    reads the parameters' gradients, or any other, off the layer afterwards."""

    cls: str
    build: Callable[[type, Case], Any] = field(default=lambda cls, case: cls())
    grads: Gradients = _no_gradients
    forward: Callable[..., Any] = _forward
    backward: Callable[..., Any] = _backward


class LibraryAdapter:
    """An adapter written as a table: catalog layer name -> ``Recipe``.

    Layers without a recipe run through ``base`` (any adapter, ``builtin("classes")``),
    whose own ``supports`` still applies to them; ``supports`` here is for the recipes'."""

    def __init__(self, name: str, recipes: Mapping[str, Recipe],
                 supports: Supports | None = None, base: Adapter | None = None):
        self.name, self.recipes, self.base, self.declared = name, dict(recipes), base, supports

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        found = tuple(n for n, r in self.recipes.items() if r.cls in namespace)
        evidence = f"recipes for {', '.join(found) or 'none'}"
        if self.base is None:
            return Detection(self.name, found, evidence)
        theirs = self.base.detect(namespace)
        rest = tuple(n for n in theirs.layers if n not in self.recipes)
        return Detection(self.name, found + rest, f"{evidence}; {self.base.name}: "
                         f"{theirs.evidence}")

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        recipe = self.recipes.get(spec.name)
        if recipe is None:
            return self.base.runner(namespace, spec) if self.base is not None else None
        if recipe.cls not in namespace:
            return lambda case: _unfound(recipe, spec, namespace)
        return lambda case: run(recipe, namespace[recipe.cls], spec, case)

    def supports(self, layer: str, variant: Mapping[str, Any]) -> bool | str:
        """The recipes' declared ``supports``; the base adapter's for its layers."""
        if layer in self.recipes or self.base is None:
            return self.declared(layer, variant) if self.declared is not None else True
        theirs = getattr(self.base, "supports", None)
        return theirs(layer, variant) if callable(theirs) else True


def _unfound(recipe: Recipe, spec: Spec, namespace: Mapping[str, Any]) -> Outcome:
    """A recipe whose class the library does not define: said so, with what it does."""
    classes = sorted(n for n, v in namespace.items() if isinstance(v, type))[:12]
    message = (f"{spec.name}: the adapter file's recipe names class {recipe.cls!r}, which "
               f"the library does not define (its classes: {', '.join(classes) or 'none'})")
    return Outcome(output=None, error=RunError("not-implemented", message))


def run(recipe: Recipe, cls: type, spec: Spec, case: Case) -> Outcome:
    """Build, forward and backward one layer by its recipe; failures become outcomes."""
    try:
        layer = call(f"{cls.__name__}.__init__", recipe.build, cls, case)
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
    if spec.name == "Dropout":
        return _dropout(recipe, cls, layer, spec, case)
    return _step(recipe, cls, layer, spec, case, spec.inputs)


def _step(recipe: Recipe, cls: type, layer: Any, spec: Spec, case: Case,
          inputs: tuple[str, ...]) -> Outcome:
    """One forward on ``inputs`` and one backward of ``layer``."""
    try:
        output = to_numpy(stacked.joined(spec, call(
            f"{cls.__name__}.forward", recipe.forward, layer,
            *[fresh(case.inputs[n]) for n in inputs])))
    except CallFailed as failed:
        return Outcome(output=None, error=failed.error)
    try:
        returned = call(f"{cls.__name__}.backward", recipe.backward, layer,
                        *stacked.split(spec, fresh(case.upstream)))
    except CallFailed as failed:
        return Outcome.forward_only(output, spec.wrt, failed.error)
    grads = {**_inputs(spec, returned), **recipe.grads(layer)}
    gave = ", ".join(map(repr, grads)) or "none"
    problems = {n: RunError("bad-return", f"{cls.__name__} gave no gradient for {n!r} "
                                          f"(it gave: {gave})")
                for n in spec.wrt if n not in grads}
    return Outcome(output=output, grads={k: to_numpy(v) for k, v in grads.items()
                                         if k in spec.wrt}, problems=problems)


def _dropout(recipe: Recipe, cls: type, layer: Any, spec: Spec, case: Case) -> Outcome:
    """A dropout layer judged by the mask it drew (``harness.adapters.dropout``); the
    recipe's build is given the case's ``p`` as the drop probability."""
    who = f"{cls.__name__}.forward"

    def draw() -> Any:
        return to_numpy(call(who, recipe.forward, layer, case.inputs["x"].copy()))

    p = float(case.config["p"])
    return dropout.run(dropout.Library(
        who, lambda: _step(recipe, cls, layer, spec, case, ("x",)), draw, 1.0 - p,
        given=f"p={p:g} as the drop probability"), case)


def _inputs(spec: Spec, returned: Any) -> dict[str, Any]:
    """The input gradients backward returned, by input name."""
    inputs = [n for n in spec.inputs if n in spec.wrt]
    if isinstance(returned, Mapping):
        return {k: to_numpy(v) for k, v in returned.items()}
    if isinstance(returned, tuple | list):
        return {n: to_numpy(v) for n, v in zip(inputs, returned, strict=False)}
    return {inputs[0]: to_numpy(returned)} if inputs and returned is not None else {}


__all__ = ["Adapter", "Case", "Conventions", "Detection", "Gradients", "LibraryAdapter",
           "Outcome", "Recipe", "RunError", "Runner", "Spec", "Supports", "Translate",
           "builtin", "call", "classes", "declare", "fresh", "run", "stored", "to_numpy",
           "watch"]
