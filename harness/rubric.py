"""A rubric: how many points each check is worth, and which checks students see.

Rubrics are TOML (``harness/rubrics/default.toml`` is the built-in one and documents
every key). Points are given per quantity of each layer (``out``, ``dx``, ``dW``...),
split over the cases and dtypes (``partial = "case"``) or all or nothing
(``partial = "none"``). Every name is checked against the catalog, so a typo is an
error that names the bad key and the valid ones instead of a silently ungraded layer.
"""

from __future__ import annotations

import hashlib
import math
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from harness.case import DTYPES
from harness.errors import BackcheckError
from harness.points import Points, exact, total
from harness.spec import Spec
from harness.specs import CATALOG

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FORMAT_VERSION = 1
PARTIAL = ("case", "none")
TOP_KEYS = ("version", "name", "salt", "dtypes", "layers", "hidden_visibility", "adapter",
            "adapter_file", "cases", "default", "layer")
VISIBILITIES = ("hidden", "after_due_date", "after_published")
"""When Gradescope shows students the hidden checks (its own visibility names)."""
DEFAULT_POINTS = ("out", "input", "param")
DEFAULT_KEYS = (*DEFAULT_POINTS, "partial", "hidden_cases", "autodiff", "unsupported")
AUTODIFF = ("allow", "flag", "refuse")
"""``[default] autodiff``: what a backward computed by an autodiff engine gets."""
UNSUPPORTED = ("award", "exclude")
"""``[default] unsupported``: a case the adapter declared the library cannot express is
awarded its points (and flagged), or left out of the maximum."""
LAYER_KEYS = ("points", "hidden", "hidden_cases", "partial")


@dataclass(frozen=True)
class LayerRule:
    """Points per quantity of one layer, what is hidden, and how partial credit works."""

    layer: str
    points: dict[str, Points]
    hidden: frozenset[str] = frozenset()
    hidden_cases: frozenset[int] = frozenset()
    partial: str = "case"

    @property
    def max_points(self) -> Points:
        return total(self.points.values())

    def visible(self, quantity: str, case: int) -> bool:
        """Whether students see the check of ``quantity`` on case ``case``."""
        return quantity not in self.hidden and case not in self.hidden_cases


@dataclass(frozen=True)
class Rubric:
    """Every graded layer's rule, in grading order, plus the course settings."""

    name: str
    rules: dict[str, LayerRule]
    salt: str = ""
    dtypes: tuple[str, ...] = DTYPES
    hidden_visibility: str = "hidden"
    source: str = field(default="", repr=False)
    autodiff: str = "flag"
    adapter: str = ""
    """The course's adapter and its conventions (``classes:CrossEntropy.targets=onehot``),
    as ``--adapter`` takes them; ``--adapter`` or ``--adapter-file`` overrides it."""
    cases: tuple[str, ...] = ()
    """Case selectors (``Conv2d:padding=0``), as ``--cases`` takes them; ``--cases``
    overrides them."""
    unsupported: str = "award"
    """What an unsupported case is worth: ``award`` its points, or ``exclude`` it from
    the maximum (``UNSUPPORTED``)."""
    adapter_file: str = ""
    """The course's adapter file, as ``--adapter-file`` takes it (written relative to the
    rubric's folder, kept absolute); the command line's adapter overrides it."""

    @property
    def layers(self) -> list[str]:
        return list(self.rules)

    @property
    def max_points(self) -> Points:
        return total(rule.max_points for rule in self.rules.values())

    @property
    def digest(self) -> str:
        """A short fingerprint of the rubric text, to tell stale batch results."""
        return hashlib.blake2b(self.source.encode(), digest_size=8).hexdigest()

    def restrict(self, layers: Iterable[str]) -> Rubric:
        """Only ``layers`` (for a quick run): each must be in the rubric."""
        names = list(layers)
        unknown = [n for n in names if n not in self.rules]
        if unknown:
            raise BackcheckError(f"layer {unknown[0]!r} is not graded by rubric {self.name!r}",
                                 hint=f"valid: {', '.join(self.rules)}")
        return replace(self, rules={n: self.rules[n] for n in names})


def load(path: str | None = None) -> Rubric:
    """The rubric in the TOML file ``path``, or the built-in default."""
    if path is None:
        text = resources.files("harness").joinpath("rubrics/default.toml").read_text()
        return parse(text, "built-in rubric")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise BackcheckError("rubric file not found", where=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BackcheckError(f"cannot read rubric: {exc}", where=path) from None
    return parse(text, path)


def parse(text: str, where: str) -> Rubric:
    """A rubric from TOML text; ``where`` names the file in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BackcheckError(f"invalid TOML: {exc}", where=where,
                             hint="see harness/rubrics/default.toml for the format") from None
    _known(data, TOP_KEYS, "", where)
    version = data.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or version != FORMAT_VERSION:
        raise BackcheckError(f"rubric version {_short(version)} is not supported", where=where,
                             hint=f"this backcheck reads version {FORMAT_VERSION}")
    defaults = _table(data, "default", where)
    _known(defaults, DEFAULT_KEYS, "[default]", where)
    for key in DEFAULT_POINTS:
        if key in defaults:
            _number(defaults[key], key, "[default]", where)
    overrides = _table(data, "layer", where)
    _known(overrides, tuple(CATALOG), "[layer]", where, what="layer")
    names = _names(data.get("layers", []), where) or list(CATALOG)
    names += [n for n in overrides if n not in names]
    rules = {n: _rule(CATALOG[n], defaults, _table(overrides, n, where, f"layer.{n}"), where)
             for n in names}
    shown = data.get("hidden_visibility", "hidden")
    if shown not in VISIBILITIES:
        raise BackcheckError(f"hidden_visibility = {_short(shown)}", where=where,
                             hint=f"valid: {', '.join(VISIBILITIES)}")
    return Rubric(_string(data, "name", where, where), rules, _string(data, "salt", "", where),
                  _dtypes(data.get("dtypes", list(DTYPES)), where), shown, text,
                  _choice(defaults, "autodiff", AUTODIFF, where),
                  _adapter(_string(data, "adapter", "", where), where),
                  _selectors(data.get("cases", []), where),
                  _choice(defaults, "unsupported", UNSUPPORTED, where),
                  _adapter_file(data, where))


def _choice(defaults: Mapping[str, Any], key: str, valid: tuple[str, ...], where: str) -> str:
    """A ``[default]`` policy: one of ``valid`` (``DEFAULT_CHOICES`` when left out)."""
    value = defaults.get(key, DEFAULT_CHOICES[key])
    if value not in valid:
        raise BackcheckError(f"{key} = {_short(value)} in [default]", where=where,
                             hint=f"valid: {', '.join(valid)}")
    return value


DEFAULT_CHOICES = {"autodiff": "flag", "unsupported": "award"}
"""The value of each ``[default]`` policy a rubric leaves out."""


def _adapter(name: str, where: str) -> str:
    """``adapter = "NAME[:options]"``, loaded once now so a typo names the rubric."""
    if name:
        from harness import adapters

        try:
            adapters.load(name)
        except BackcheckError as exc:
            raise BackcheckError(f"adapter = {_short(name)}: {exc.what}", where=where,
                                 hint=exc.hint) from None
    return name


def _adapter_file(data: Mapping[str, Any], where: str) -> str:
    """``adapter_file = "course_adapter.py"``, beside the rubric unless absolute; it must
    exist, and it excludes ``adapter`` as the two options do."""
    value = _string(data, "adapter_file", "", where)
    if not value:
        return ""
    if data.get("adapter"):
        raise BackcheckError("adapter and adapter_file exclude each other", where=where,
                             hint="an adapter file chooses its own adapter; keep one")
    path = os.path.join(os.path.dirname(os.path.abspath(where)), value)
    if not os.path.isfile(path):
        raise BackcheckError(f"adapter_file = {_short(value)}: no such file", where=where,
                             hint="give its path relative to the rubric's folder")
    return path


def _selectors(value: Any, where: str) -> tuple[str, ...]:
    """``cases = [...]``: selector strings, each read against the catalog now
    (``harness.selection``), exactly as ``--cases`` reads them."""
    from harness import selection

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BackcheckError(f"cases = {_short(value)} is not a list of selectors",
                             where=where, hint='e.g. cases = ["Conv2d:padding=0"]')
    for text in value:
        try:
            selection.parse(text, CATALOG)
        except BackcheckError as exc:
            raise BackcheckError(f"cases: {exc.what}", where=where, hint=exc.hint) from None
    return tuple(value)


def _known(table: Mapping[str, Any], valid: tuple[str, ...], section: str, where: str,
           what: str = "key") -> None:
    for key in table:
        if key not in valid:
            place = f" in {section}" if section else ""
            raise BackcheckError(f"unknown {what} {key!r}{place}", where=where,
                                 hint=f"valid: {', '.join(valid)}")


def _table(data: Mapping[str, Any], key: str, where: str,
           section: str = "") -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise BackcheckError(f"{key!r} must be a table ([{section or key}])", where=where)
    return value


def _string(data: Mapping[str, Any], key: str, default: str, where: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise BackcheckError(f"{key} = {_short(value)} is not a string", where=where,
                             hint=f'write it in quotes: {key} = "..."')
    return value


def _names(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BackcheckError("'layers' must be a list of layer names", where=where,
                             hint='e.g. layers = ["Linear", "ReLU"]')
    _known(dict.fromkeys(value), tuple(CATALOG), "layers", where, what="layer")
    return list(value)


def _dtypes(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise BackcheckError("'dtypes' must be a non-empty list", where=where,
                             hint=f"valid: {', '.join(DTYPES)}")
    _known(dict.fromkeys(value), DTYPES, "dtypes", where, what="dtype")
    return tuple(value)


def _rule(spec: Spec, defaults: Mapping[str, Any], table: Mapping[str, Any],
          where: str) -> LayerRule:
    section = f"[layer.{spec.name}]"
    _known(table, (*spec.quantities, *LAYER_KEYS), section, where, what="check")
    points = {q: _number(table.get(q, _default_points(spec, q, defaults)), q, section, where)
              for q in spec.quantities}
    if "points" in table:
        points = _scaled(points, _number(table["points"], "points", section, where))
    hidden = table.get("hidden", [])
    if not isinstance(hidden, list) or not all(isinstance(h, str) for h in hidden):
        raise BackcheckError(f"hidden = {_short(hidden)} in {section} is not a list of checks",
                             where=where, hint=f"e.g. hidden = [\"{spec.quantities[-1]}\"]")
    _known(dict.fromkeys(hidden), spec.quantities, f"{section} hidden", where, what="check")
    if "hidden_cases" in table:
        cases = table["hidden_cases"]
        _cases(cases, spec, section, where)
    else:
        cases = defaults.get("hidden_cases", [])
        _cases(cases, spec, "[default]", where, every=False)
        cases = [c for c in cases if c < len(spec.variants)]
    partial = table.get("partial", defaults.get("partial", "case"))
    if not isinstance(partial, str) or partial not in PARTIAL:
        place = section if "partial" in table else "[default]"
        raise BackcheckError(f"partial = {_short(partial)} in {place}", where=where,
                             hint=f"valid: {', '.join(PARTIAL)}")
    return LayerRule(spec.name, points, frozenset(hidden), frozenset(cases), partial)


def _default_points(spec: Spec, quantity: str, defaults: Mapping[str, Any]) -> Any:
    if quantity == "out":
        return defaults.get("out", 1.0)
    if quantity[1:] in spec.inputs:
        return defaults.get("input", 2.0)
    return defaults.get("param", 1.0)


def _number(value: Any, key: str, section: str, where: str) -> Points:
    """Points as written in the rubric, exactly (``0.1`` is one tenth)."""
    if (isinstance(value, bool) or not isinstance(value, int | float) or value < 0
            or not math.isfinite(value)):
        raise BackcheckError(f"{key} = {_short(value)} in {section} is not a number >= 0",
                             where=where)
    return exact(value)


def _scaled(points: dict[str, Points], wanted: Points) -> dict[str, Points]:
    current = total(points.values())
    if current == 0:
        return {q: Points(wanted / len(points)) for q in points}
    return {q: Points(p * wanted / current) for q, p in points.items()}


def _cases(cases: Any, spec: Spec, section: str, where: str, every: bool = True) -> None:
    """Case numbers must be integers >= 0; with ``every``, each a case of ``spec``."""
    count = len(spec.variants)
    if not isinstance(cases, list) or any(
            isinstance(c, bool) or not isinstance(c, int) or c < 0 or (every and c >= count)
            for c in cases):
        hint = (f"{spec.name} has cases {', '.join(map(str, range(count)))}" if every
                else "a list of case numbers (integers from 0), e.g. hidden_cases = [2]")
        raise BackcheckError(f"hidden_cases = {_short(cases)} in {section}", where=where,
                             hint=hint)


def _short(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters, for one-line error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."
