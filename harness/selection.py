"""Which configurations of a layer to run (``--cases``) and which a library can express.

A case's *variant* is what it was drawn from (``harness.spec.Spec.variants``: ``N``,
``kernel``, ``stride``, ``padding``...) plus the hyper-parameters handed to the layer.
Two things read it:

- ``Selector``: one ``--cases`` value, ``[LAYER:]KEY OP VALUE[,KEY OP VALUE...]`` with
  ``OP`` one of ``= != < <= > >=`` and ``VALUE`` a Python literal (``3``, ``(3, 3)``,
  ``True``). ``Conv2d:stride=1,padding=0`` keeps the Conv2d cases with stride 1 and no
  padding. Several selectors are alternatives; a layer no selector names keeps every
  case, and a selector without a layer applies to each layer whose variants have all
  its keys.
- ``unsupported``: an adapter may declare ``supports(layer, variant) -> bool | str``;
  ``False`` or a non-empty string (the reason) marks the case *unsupported*: judged
  neither right nor wrong, not charged, left out of the score and listed for the
  instructor. ``split`` decides it in the grading process, before any code runs, for
  the adapter named on the command line; ``declined`` after the run, for a built-in or
  installed adapter that detection chose.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from harness.case import Case
from harness.errors import UsageError
from harness.outcome import Outcome, RunError
from harness.spec import Spec
from harness.target import Target

Job = tuple[Spec, Case]

OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "==": operator.eq, "!=": operator.ne, "<=": operator.le,
    ">=": operator.ge, "<": operator.lt, ">": operator.gt,
}
_TERM = re.compile(r"\s*(\w+)\s*(==|!=|<=|>=|=|<|>)\s*(\([^)]*\)|\[[^\]]*\]|[^,]+?)\s*(?:,|$)")
HINT = "write LAYER:KEY=VALUE[,KEY=VALUE...], e.g. 'Conv2d:stride=1,padding=0'"


@dataclass(frozen=True)
class Term:
    """``key op value``: one condition on a variant."""

    key: str
    op: str
    value: Any

    def holds(self, variant: Mapping[str, Any]) -> bool:
        """Whether the variant meets the condition; one without the key has no value
        for it, so only ``!=`` holds (an unpadded pool is ``padding!=1``)."""
        if self.key not in variant:
            return self.op == "!="
        try:
            return bool(OPERATORS[self.op](_plain(variant[self.key]), self.value))
        except TypeError:
            return False


@dataclass(frozen=True)
class Selector:
    """One ``--cases`` value: the layer it is about (``""`` for any) and its terms."""

    layer: str
    terms: tuple[Term, ...]

    def names(self, spec: Spec) -> bool:
        """Whether this selector is about ``spec`` (named, or every key in its variants)."""
        if self.layer:
            return self.layer == spec.name
        keys = set().union(*(v.keys() for v in spec.variants)) if spec.variants else set()
        return all(t.key in keys for t in self.terms)

    def keeps(self, variant: Mapping[str, Any]) -> bool:
        return all(term.holds(variant) for term in self.terms)


def parse(text: str, layers: Mapping[str, Spec]) -> Selector:
    """The selector written ``text``; a one-line ``UsageError`` when it is malformed."""
    layer, colon, rest = text.partition(":")
    if not colon:
        layer, rest = "", text
    layer = layer.strip()
    if layer and layer not in layers:
        raise UsageError(f"--cases {text!r}: unknown layer {layer!r}", hint=HINT)
    terms, end = [], 0
    for match in _TERM.finditer(rest):
        if match.start() != end:
            break
        terms.append(Term(match[1], match[2], _literal(match[3], text)))
        end = match.end()
    if not terms or end != len(rest):
        raise UsageError(f"--cases {text!r}: cannot read {rest[end:].strip() or rest!r}",
                         hint=HINT)
    selector = Selector(layer, tuple(terms))
    _known_keys(selector, text, layers)
    return selector


def keep(selectors: tuple[Selector, ...], spec: Spec, index: int) -> bool:
    """Whether variant ``index`` of ``spec`` is run under ``selectors`` (every variant,
    if none is about ``spec``). Read from the spec alone, so the pytest plugin can
    collect exactly the selected cases without drawing them."""
    about = [s for s in selectors if s.names(spec)]
    drawn = spec.variants[index] if index < len(spec.variants) else {}
    return not about or any(s.keeps(drawn) for s in about)


def variant(spec: Spec, case: Case) -> dict[str, Any]:
    """What ``case`` was drawn from: its spec variant, then the layer's config on top."""
    drawn = dict(spec.variants[case.index]) if case.index < len(spec.variants) else {}
    return {**drawn, **{k: _plain(v) for k, v in case.config.items()}}


def unsupported(adapter: object, spec: Spec, case: Case) -> str:
    """Why ``adapter`` cannot express ``case`` (``""`` when it can or does not say)."""
    supports = getattr(adapter, "supports", None)
    if supports is None:
        return ""
    answer = supports(spec.name, variant(spec, case))
    if answer is True or answer is None:
        return ""
    if isinstance(answer, str) and answer:
        return answer
    if answer:
        return ""
    shown = ", ".join(f"{k}={v}" for k, v in variant(spec, case).items())
    return f"the library does not support {spec.name} with {shown}"


def split(target: Target, jobs: list[Job]) -> tuple[list[Job], dict[str, Outcome]]:
    """The jobs to run, and an ``unsupported`` outcome for each case the target's adapter
    (named or from its file) declares it cannot express. Decided here, in the grading
    process, never from what a sandboxed child reports."""
    adapter = _declared(target)
    if adapter is None:
        return jobs, {}
    skipped = _unsupported_outcomes(adapter, jobs)
    return [job for job in jobs if job[1].id not in skipped], skipped


def declined(target: Target, detected: str, jobs: list[Job],
             outcomes: Mapping[str, Outcome]) -> dict[str, Outcome]:
    """An ``unsupported`` outcome for each case the adapter detection chose (``detected``)
    declares it cannot express: a CS231n-style file detected, not named, is not charged
    for padded pooling either. Only a registered adapter's own ``supports`` is asked, in
    this process; a forged name from a sandboxed child can at most exempt the cases that
    library style cannot express. A layer the run found missing stays missing in every
    case: its points are never awarded for the cases it could not have expressed."""
    from harness import adapters

    if target.adapter or target.adapter_file or detected not in adapters.registered():
        return {}
    adapter = adapters.load(detected)
    if not callable(getattr(adapter, "supports", None)):
        return {}
    written = [(spec, case) for spec, case in jobs if not _missing(outcomes.get(case.id))]
    return _unsupported_outcomes(adapter, written)


def _missing(outcome: Outcome | None) -> bool:
    return outcome is not None and outcome.error is not None and (
        outcome.error.kind == "not-implemented")


def _unsupported_outcomes(adapter: object, jobs: list[Job]) -> dict[str, Outcome]:
    """Case id -> the ``unsupported`` outcome, for each job ``adapter`` cannot express."""
    found = {}
    for spec, case in jobs:
        reason = unsupported(adapter, spec, case)
        if reason:
            found[case.id] = Outcome(None, error=RunError("unsupported", reason))
    return found


def _declared(target: Target) -> object | None:
    """The target's adapter if it declares ``supports``; detection never does."""
    from harness import adapters

    if target.adapter_file:
        adapter = adapters.from_file(target.adapter_file)
    elif target.adapter:
        adapter = adapters.load(target.adapter)
    else:
        return None
    return adapter if callable(getattr(adapter, "supports", None)) else None


def _literal(text: str, whole: str) -> Any:
    """``3``, ``(3, 3)``, ``True``; a bare word is a string (``mode=same``)."""
    text = text.strip()
    try:
        return _plain(ast.literal_eval(text))
    except (ValueError, SyntaxError):
        if text.isidentifier():
            return text
        raise UsageError(f"--cases {whole!r}: {text!r} is not a value", hint=HINT) from None


def _plain(value: Any) -> Any:
    """Lists as tuples, so ``kernel=(3, 3)`` matches a variant's ``[3, 3]`` too."""
    return tuple(value) if isinstance(value, list) else value


def _known_keys(selector: Selector, text: str, layers: Mapping[str, Spec]) -> None:
    """A key no variant of the named layer (or of any layer) has is a typo."""
    specs = [layers[selector.layer]] if selector.layer else list(layers.values())
    keys = {k for spec in specs for v in spec.variants for k in v}
    for term in selector.terms:
        if term.key not in keys:
            shown = ", ".join(sorted(keys)) if selector.layer else "see the catalog"
            raise UsageError(f"--cases {text!r}: no variant has {term.key!r}",
                             hint=f"keys: {shown}")
