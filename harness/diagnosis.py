"""Naming the likely mistake behind a wrong gradient, with the evidence.

Each rule tests one hypothesis ("the student's dW is the transpose of the expected
one") against the arrays and either returns a ``Diagnosis`` or stays silent: no hint
is better than a wrong hint. A hypothesis is accepted only when the student's array
matches the mistaken value closely (``FIT``), far closer than it matches the expected.

Some mistakes cannot be seen in one forward/backward: an input mutated in place, a
stale cache, the derivative at exactly 0. The probes of ``harness.adapters.probes``
record raw observations for those, and ``violation`` names what they show, recomputed
from the case. This module only names mistakes: what a finding costs (a failure, or
advice) is decided in ``harness.judging``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from itertools import combinations, permutations
from typing import Any

import numpy as np

from harness.adapters.calls import changed
from harness.adapters.probes import (
    AT_ZERO,
    CHANGED_BY_BACKWARD,
    CHANGED_BY_FORWARD,
    FIRST_ONLY,
    KINKED,
    SECOND_FORWARD,
    UPSTREAM,
    zero_inputs,
)
from harness.case import Case
from harness.spec import Spec

FIT_RTOL = 2e-3
FIT_ATOL = 1e-3
"""A mistaken value "fits" when within these of the student's array (relative to its
largest element): loose enough for float32, far tighter than any two hypotheses differ."""

ACTIVATIONS = ("ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax")

KINDS = (
    "non-finite", "all-zeros", "broadcast-shape", "bias-not-reduced", "bias-wrong-axis",
    "transposed", "scaled", "first-sample-only", "derivative-at-output",
    "derivative-missing", "relu-near-zero", "relu-at-zero", "mutated-input",
    "stale-cache", "empty", "shifted",
)
"""Every mistake the generic rules can name; ``Diagnosis.kind`` is one of these or the
kind of a layer's model in ``reference/mistakes/``."""


@dataclass(frozen=True)
class Diagnosis:
    """A named mistake with its evidence: what was expected, what was found, and the
    worst element (``index``, expected and found values, relative error)."""

    kind: str
    title: str
    expected: str
    found: str
    index: tuple[int, ...] = ()
    expected_value: float = float("nan")
    found_value: float = float("nan")
    rel_error: float = float("nan")
    aligned: str = ""
    """How the worst element was compared when the shapes differ ("transposed back")."""

    def __str__(self) -> str:
        said = f"{self.title}: expected {self.expected}, found {self.found}"
        if not self.index:
            return f"{said}."
        where = ", ".join(map(str, self.index))
        how = f" ({self.aligned})" if self.aligned else ""
        return (f"{said}; worst element{how} [{where}]: expected {self.expected_value:.6g}, "
                f"got {self.found_value:.6g} (rel error {self.rel_error:.3g}).")


@dataclass(frozen=True)
class Evidence:
    """What a rule looks at: the case, the quantity and the two arrays (float64)."""

    spec: Spec
    case: Case
    quantity: str
    actual: np.ndarray
    expected: np.ndarray

    @property
    def name(self) -> str:
        return self.quantity[1:] if self.quantity != "out" else "out"

    @property
    def upstream(self) -> np.ndarray:
        return np.asarray(self.case.upstream, dtype=np.float64)

    def found(self, hypothesis: np.ndarray, kind: str, title: str, expected: str,
              found: str) -> Diagnosis | None:
        """A diagnosis when ``hypothesis`` fits the student's array (and not the expected)."""
        if not fits(self.actual, hypothesis) or fits(hypothesis, self.expected):
            return None
        return worst(kind, title, expected, found, self.actual, self.expected)


Rule = Callable[[Evidence], "Diagnosis | None"]


def diagnose(spec: Spec, case: Case, quantity: str, actual: object, expected: np.ndarray,
             observations: Mapping[str, Any] | None = None) -> str:
    """A hint for a failed ``quantity`` (the first rule that fits), or ``""`` when unsure."""
    found = diagnosed(spec, case, quantity, actual, expected, observations)
    return str(found) if found else ""


def diagnosed(spec: Spec, case: Case, quantity: str, actual: object, expected: np.ndarray,
              observations: Mapping[str, Any] | None = None) -> Diagnosis | None:
    """The diagnosis of a failed ``quantity``: a rule's or model's, else what the probes'
    observations show, else None."""
    found = find(spec, case, quantity, actual, expected)
    if found is None and observations:
        single = {quantity[1:]: actual} if isinstance(actual, np.ndarray) else {}
        found = violation(spec, case, quantity, {**observations, "single": single})
    return found


def find(spec: Spec, case: Case, quantity: str, actual: object,
         expected: np.ndarray) -> Diagnosis | None:
    """The first rule's diagnosis for these arrays, or ``None``."""
    if not isinstance(actual, np.ndarray | np.generic) or np.asarray(actual).dtype.kind != "f":
        return None
    evidence = Evidence(spec, case, quantity, np.asarray(actual, dtype=np.float64),
                        np.asarray(expected, dtype=np.float64))
    for rule in RULES:
        found = rule(evidence)
        if found is not None:
            return found
    return None


# --- evidence helpers -------------------------------------------------------------


def fits(actual: np.ndarray, hypothesis: np.ndarray) -> bool:
    """Whether ``actual`` equals ``hypothesis`` up to float32-level noise."""
    if np.shape(actual) != np.shape(hypothesis) or not np.all(np.isfinite(hypothesis)):
        return False
    scale = max(float(np.max(np.abs(hypothesis), initial=0.0)), 1e-12)
    return bool(np.allclose(actual, hypothesis, rtol=FIT_RTOL, atol=FIT_ATOL * scale))


def relative_error(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``|a - e| / max(|e|, 1e-8·max|e|)``, element-wise (as in the comparison)."""
    scale = max(float(np.max(np.abs(expected), initial=0.0)), 1e-12)
    with np.errstate(invalid="ignore"):
        return np.abs(actual - expected) / np.maximum(np.abs(expected), 1e-8 * scale)


def worst(kind: str, title: str, expected: str, found: str, actual: np.ndarray,
          reference: np.ndarray) -> Diagnosis:
    """A diagnosis whose worst element compares ``actual`` with ``reference`` where their
    shapes agree (after dropping axes of length 1) or their sizes do; with neither, no
    element is quoted, since an index of one array may not exist in the other."""
    if actual.shape != reference.shape and actual.size != reference.size:
        return Diagnosis(kind, title, expected, found)
    a, r = _aligned(actual, reference)
    aligned = "" if actual.shape == reference.shape else (
        f"comparing your {shape_text(actual)} with {shape_text(reference)}")
    rel = relative_error(a, r)
    rel = np.where(np.isnan(rel), np.inf, rel)
    flat = int(np.argmax(rel)) if rel.size else 0
    index = tuple(int(i) for i in np.unravel_index(flat, r.shape)) if r.size else ()
    return Diagnosis(kind, title, expected, found, index,
                     float(r[index]) if r.size else 0.0, float(a[index]) if a.size else 0.0,
                     float(rel[index]) if rel.size else 0.0, aligned)


def _aligned(actual: np.ndarray, reference: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if actual.shape == reference.shape:
        return actual, reference
    return actual.reshape(reference.shape), reference


def shape_text(array: np.ndarray) -> str:
    return f"shape {tuple(array.shape)}"


def batch_size(case: Case) -> int:
    """The leading dimension of the first input (1 for a scalar)."""
    first = next(iter(case.inputs.values()), None)
    return int(first.shape[0]) if first is not None and np.ndim(first) else 1


# --- rules on the arrays ------------------------------------------------------------


def _known_mistake(ev: Evidence) -> Diagnosis | None:
    """The catalog's model of a well-known bug of this layer that the array fits
    (``reference/mistakes/``): the most specific name there is, so it runs first."""
    from reference import mistakes

    probe = mistakes.Probe.of(ev.case)
    for model in mistakes.of(ev.spec.name, ev.quantity):
        try:
            with np.errstate(all="ignore"):
                value = np.asarray(model.value(probe), dtype=np.float64)
        except (ValueError, IndexError):
            continue  # the model needs shapes this case does not have (a square W)
        found = ev.found(value, model.kind, model.title, model.fix, model.found)
        if found is not None:
            return found
    return None


def _offset(ev: Evidence) -> Diagnosis | None:
    """An output off by one constant everywhere (a wrong bias or shift in forward)."""
    if ev.quantity != "out" or ev.actual.shape != ev.expected.shape or ev.actual.size < 2:
        return None
    shift = float(np.median(ev.actual - ev.expected))
    return ev.found(ev.expected + shift, "shifted", f"the output is off by {shift:.4g} "
                    "everywhere", "the expected output",
                    f"the expected output plus {shift:.4g} in every element (a wrong bias, "
                    "or a constant added or forgotten in forward)")


def _non_finite(ev: Evidence) -> Diagnosis | None:
    bad = ~np.isfinite(ev.actual)
    if not bad.any():
        return None
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    expected = float(ev.expected[index]) if ev.actual.shape == ev.expected.shape else np.nan
    return Diagnosis("non-finite", f"{ev.quantity} contains NaN or inf",
                     "finite values", f"{int(bad.sum())} / {bad.size} elements NaN or inf "
                     "(a division by zero, a log of 0, or an overflowing exp?)",
                     index, expected, float(ev.actual[index]), float("inf"))


def _empty(ev: Evidence) -> Diagnosis | None:
    if ev.actual.size or not ev.expected.size:
        return None
    return Diagnosis("empty", f"{ev.quantity} is empty", shape_text(ev.expected),
                     f"an array with no elements ({shape_text(ev.actual)}): a slice such "
                     "as [pad:-pad] with pad == 0, or a loop that never ran?")


def _all_zeros(ev: Evidence) -> Diagnosis | None:
    if np.any(ev.actual != 0) or not np.any(ev.expected != 0):
        return None
    what = "output" if ev.quantity == "out" else "gradient"
    why = ("forward returned a fresh array it never filled" if ev.quantity == "out" else
           "the gradient was never computed or accumulated into a fresh array")
    return worst("all-zeros", f"{ev.quantity} is all zeros", f"a nonzero {what}",
                 f"zeros everywhere ({shape_text(ev.actual)}): {why}",
                 np.zeros_like(ev.expected), ev.expected)


def _broadcast_shape(ev: Evidence) -> Diagnosis | None:
    if ev.actual.shape == ev.expected.shape:
        return None
    if ev.actual.size == ev.expected.size and fits(ev.actual.squeeze(), ev.expected.squeeze()):
        return worst("broadcast-shape", f"{ev.quantity} has the right values in the wrong "
                     "shape", shape_text(ev.expected), f"{shape_text(ev.actual)} (an axis of "
                     "length 1 added or lost: keepdims, or a (1, M) bias?)",
                     ev.actual, ev.expected)
    if ev.actual.size == ev.expected.size and fits(ev.actual.reshape(ev.expected.shape),
                                                   ev.expected):
        return worst("broadcast-shape", f"{ev.quantity} has the right values in the wrong "
                     "shape", shape_text(ev.expected), f"{shape_text(ev.actual)}, the same "
                     "values in another layout: reshape it back to the input's shape",
                     ev.actual, ev.expected)
    try:
        spread = np.broadcast_to(ev.expected, ev.actual.shape)
    except ValueError:
        return None
    if fits(ev.actual, spread):
        found = worst("broadcast-shape", f"{ev.quantity} was broadcast to a larger shape",
                      shape_text(ev.expected), f"{shape_text(ev.actual)}, every slice a "
                      "copy of the expected gradient", ev.actual, spread)
        return replace(found, aligned="against the expected gradient broadcast")
    return None


def _reductions(upstream: np.ndarray) -> Iterable[tuple[tuple[int, ...], np.ndarray]]:
    """``upstream`` summed over every non-empty proper subset of its axes."""
    axes = range(upstream.ndim)
    for count in range(1, upstream.ndim):
        for subset in combinations(axes, count):
            yield subset, upstream.sum(axis=subset)


def _bias(ev: Evidence) -> Diagnosis | None:
    up = ev.upstream
    if ev.quantity in ("out", "dx") or up.ndim < 2:
        return None
    right = next((s for s, r in _reductions(up) if fits(ev.expected, r)), None)
    if right is None:
        return None
    if fits(ev.actual, up):
        found = worst("bias-not-reduced", f"{ev.quantity} was not summed over the batch",
                      f"dout summed over axes {right} ({shape_text(ev.expected)})",
                      f"dout itself ({shape_text(ev.actual)})", ev.actual, up)
        return replace(found, aligned="against dout itself")
    for subset, summed in _reductions(up):
        if subset == right or fits(summed, ev.expected):
            continue  # axes of length 1 make some other reductions equal the right one
        if fits(ev.actual, summed):
            partly = set(subset) < set(right)
            kind = "bias-not-reduced" if partly else "bias-wrong-axis"
            title = (f"{ev.quantity} was not summed over every axis it should be" if partly
                     else f"{ev.quantity} was summed over the wrong axes")
            found = worst(kind, title,
                          f"dout summed over axes {right} ({shape_text(ev.expected)})",
                          f"dout summed over axes {subset} ({shape_text(ev.actual)})",
                          ev.actual, summed)
            return replace(found, aligned=f"against dout summed over axes {subset}")
    return None


def _transposed(ev: Evidence) -> Diagnosis | None:
    if ev.expected.ndim < 2 or ev.expected.ndim > 4:
        return None
    for order in permutations(range(ev.expected.ndim)):
        if order == tuple(range(ev.expected.ndim)):
            continue
        swapped = ev.expected.transpose(order)
        if fits(ev.actual, swapped) and not fits(swapped, ev.expected):
            words = "transpose" if ev.expected.ndim == 2 else f"axes permuted as {order}"
            found = worst("transposed", f"{ev.quantity} is transposed",
                          shape_text(ev.expected),
                          f"the expected gradient's {words} ({shape_text(ev.actual)})",
                          ev.actual, swapped)
            return replace(found, aligned="against the expected gradient transposed")
    return None


def _scale_names(batch: int, elements: int = 0) -> dict[float, str]:
    """Suspicious factors and how to say them; ``elements`` is a loss input's size."""
    names = {2.0: "2", 0.5: "1/2", -1.0: "-1 (the sign is flipped)"}
    if elements > batch:
        names[float(elements)] = f"{elements} (the number of elements: a sum, not a mean?)"
        names[1.0 / elements] = f"1/{elements} (one over the number of elements)"
    if batch > 1:
        names[float(batch)] = f"{batch} (the batch size)"
        names[1.0 / batch] = f"1/{batch} (one over the batch size)"
    if batch == 2:
        names[2.0], names[0.5] = "2 (also the batch size)", "1/2 (also one over the batch size)"
    return names


def _scaled(ev: Evidence) -> Diagnosis | None:
    if ev.actual.shape != ev.expected.shape:
        return None
    elements = int(np.size(ev.case.inputs["x"])) if (
        ev.spec.kind == "loss" and "x" in ev.case.inputs) else 0
    for factor, words in _scale_names(batch_size(ev.case), elements).items():
        what = "the output" if ev.quantity == "out" else "the gradient"
        found = ev.found(factor * ev.expected, "scaled", f"{ev.quantity} is scaled by {words}",
                         what, f"{words} times it everywhere")
        if found:
            return found
    return None


def _first_sample(ev: Evidence) -> Diagnosis | None:
    n = batch_size(ev.case)
    if n < 2 or ev.actual.shape != ev.expected.shape:
        return None
    if ev.quantity == "dx" or (ev.quantity == "out" and ev.expected.ndim and
                               ev.expected.shape[0] == n):
        return _first_row(ev)
    alone = _first_sample_gradient(ev)
    if alone is None:
        return None
    return ev.found(alone, "first-sample-only", f"{ev.quantity} uses only the first sample",
                    f"the sum over all {n} samples", "the contribution of sample 0 alone")


def _first_row(ev: Evidence) -> Diagnosis | None:
    if ev.expected.ndim == 0 or ev.expected.shape[0] != batch_size(ev.case):
        return None
    only = np.zeros_like(ev.expected)
    only[0] = ev.expected[0]
    copied = np.broadcast_to(ev.expected[:1], ev.expected.shape)
    for hypothesis, found in ((only, "row 0 right and every other row 0"),
                              (copied, "row 0's values repeated on every row")):
        diagnosis = ev.found(hypothesis, "first-sample-only",
                             f"{ev.quantity} uses only the first sample",
                             f"one row per sample ({ev.expected.shape[0]})", found)
        if diagnosis:
            return diagnosis
    return None


def _first_sample_gradient(ev: Evidence) -> np.ndarray | None:
    """The reference's gradient on the first sample alone (same upstream row)."""
    case = ev.case
    try:
        layer = ev.spec.reference_class()(
            **{k: np.asarray(v, np.float64) for k, v in case.params.items()}, **case.config)
        layer.forward(*[_first(case.inputs[n]) for n in ev.spec.inputs])
        up = ev.upstream if ev.upstream.ndim == 0 else ev.upstream[:1]
        value = layer.backward(up)[ev.name]
    except Exception:
        return None
    value = np.asarray(value, dtype=np.float64)
    return value if value.shape == ev.expected.shape else None


def _first(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array)
    cast = array.astype(np.float64) if array.dtype.kind == "f" else array
    return cast[:1] if cast.ndim else cast


def _activation_at_output(ev: Evidence) -> Diagnosis | None:
    if ev.spec.name not in ("Sigmoid", "Tanh") or ev.quantity != "dx":
        return None
    x, up = np.asarray(ev.case.inputs["x"], np.float64), ev.upstream
    if ev.spec.name == "Sigmoid":
        s = 1.0 / (1.0 + np.exp(-x))
        s2 = 1.0 / (1.0 + np.exp(-s))
        candidates = [(up * x * (1 - x), "s * (1 - s) with s = x, the input"),
                      (up * s2 * (1 - s2), "sigmoid'(sigmoid(x)): the derivative "
                                           "evaluated at the output")]
        right = "dout * s * (1 - s) with s = sigmoid(x)"
    else:
        t = np.tanh(x)
        candidates = [(up * (1 - x**2), "1 - x**2 with x the input"),
                      (up * (1 - np.tanh(t) ** 2), "tanh'(tanh(x)): the derivative "
                                                   "evaluated at the output")]
        right = "dout * (1 - t**2) with t = tanh(x)"
    for hypothesis, found in candidates:
        diagnosis = ev.found(hypothesis, "derivative-at-output",
                             f"the {ev.spec.name} derivative is evaluated at the wrong place",
                             right, f"dout * {found}")
        if diagnosis:
            return diagnosis
    return None


def _activation_missing(ev: Evidence) -> Diagnosis | None:
    if ev.spec.name not in ACTIVATIONS or ev.quantity != "dx":
        return None
    return ev.found(ev.upstream, "derivative-missing",
                    f"the {ev.spec.name} derivative is missing",
                    f"dout times the derivative of {ev.spec.name}",
                    "dout passed through unchanged (dx == dout)")


def _relu_near_zero(ev: Evidence) -> Diagnosis | None:
    if ev.spec.name not in KINKED or ev.quantity != "dx" or ev.actual.shape != ev.expected.shape:
        return None
    x = np.abs(np.asarray(ev.case.inputs["x"], np.float64))
    wrong = ~np.isclose(ev.actual, ev.expected, rtol=FIT_RTOL,
                        atol=FIT_ATOL * max(float(np.abs(ev.expected).max()), 1e-12))
    if not wrong.any() or wrong.all():
        return None
    edge = float(x[wrong].max())
    if edge >= float(np.median(x)):
        return None
    return worst("relu-near-zero", f"the {ev.spec.name} derivative is wrong near 0",
                 "the slope of the side of 0 each input is on",
                 f"wrong slopes exactly at the {int(wrong.sum())} inputs closest to 0 "
                 f"(|x| <= {edge:.3g}); right everywhere else: is the mask x > 0?",
                 ev.actual, ev.expected)


RULES: tuple[Rule, ...] = (
    _non_finite, _empty, _all_zeros, _broadcast_shape, _known_mistake, _bias, _transposed,
    _scaled, _first_sample, _activation_at_output, _activation_missing, _relu_near_zero,
    _offset,
)


# --- probes and the contract violations they reveal ------------------------------------


def violation(spec: Spec, case: Case, quantity: str,
              observations: Mapping[str, Any]) -> Diagnosis | None:
    """A broken contract seen by the probes that concerns ``quantity``, or ``None``."""
    for check in (_mutated, _stale, _at_zero):
        found = check(spec, case, quantity, observations)
        if found is not None:
            return found
    return None


def _mutated(spec: Spec, case: Case, quantity: str, seen: Mapping[str, Any]) -> Diagnosis | None:
    """An input (or ``dout``) the code changed in place: charged to ``out`` when the
    forward changed it, else to the first gradient."""
    forward = seen.get(CHANGED_BY_FORWARD) or {}
    backward = {k: v for k, v in (seen.get(CHANGED_BY_BACKWARD) or {}).items()
                if k not in forward}
    owner = {"forward": "out", "backward": f"d{spec.wrt[0]}" if spec.wrt else "out"}
    for phase, changes in (("forward", forward), ("backward", backward)):
        if owner[phase] != quantity:
            continue
        for name, after in changes.items():
            found = _change(phase, name, _original(case, name), after)
            if found is not None:
                return found
    return None


def _original(case: Case, name: str) -> np.ndarray | None:
    return case.upstream if name == UPSTREAM else case.inputs.get(name)


def _change(phase: str, name: str, before: np.ndarray | None,
            after: Any) -> Diagnosis | None:
    """The worst element where ``after`` differs from the case's ``before``, if any."""
    if before is None or not isinstance(after, np.ndarray) or after.shape != before.shape:
        return None
    differs = changed(before, after)
    if not differs.any():
        return None
    with np.errstate(invalid="ignore"):
        gap = np.abs(after.astype(np.float64) - before.astype(np.float64))
    index = np.unravel_index(int(np.argmax(np.where(differs, np.nan_to_num(gap, nan=np.inf),
                                                    -1.0))), after.shape)
    was, now = float(before[index]), float(after[index])
    return Diagnosis("mutated-input", f"{phase} modified {name} in place",
                     f"{name} unchanged (the caller still needs it)",
                     f"{int(differs.sum())} / {after.size} elements of {name} changed "
                     "(use a copy, or a non in-place operation)",
                     tuple(int(i) for i in index), was, now,
                     float(relative_error(np.array(now), np.array(was))))


def _stale(spec: Spec, case: Case, quantity: str, seen: Mapping[str, Any]) -> Diagnosis | None:
    name = quantity[1:]
    twice, first = seen.get(SECOND_FORWARD) or {}, seen.get(FIRST_ONLY) or {}
    normal = seen.get("single") or {}
    values = [v.get(name) for v in (twice, first, normal)]
    if quantity == "out" or not all(_numeric(v) for v in values):
        return None
    after, decoy, right = (np.asarray(v, np.float64) for v in values)
    if not fits(after, decoy) or fits(after, right) or fits(decoy, right):
        return None
    return worst("stale-cache", f"backward used a stale cache for {quantity}",
                 "after forward(a) then forward(b), the gradient at b",
                 "the gradient at a: forward keeps the first inputs it saw (cache "
                 "them on every call)", after, right)


def _numeric(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.dtype.kind in "biuf"


def _at_zero(spec: Spec, case: Case, quantity: str, seen: Mapping[str, Any]) -> Diagnosis | None:
    probe = zero_inputs(spec, case)
    got = (seen.get(AT_ZERO) or {}).get("x")
    if quantity != "dx" or probe is None or not _numeric(got):
        return None
    got = np.asarray(got, np.float64)
    up = np.asarray(case.upstream, np.float64)
    slope = float(case.config.get("negative_slope", 0.0))
    zero = probe["x"] == 0
    if got.shape != up.shape:
        return None
    want = np.where(zero, slope * up, got)
    if fits(got, want):
        return None
    return worst("relu-at-zero", f"the {spec.name} derivative at exactly 0 is wrong",
                 f"{slope:g} · dout where x == 0 (the convention of PyTorch, TensorFlow and "
                 "JAX)", "another slope there: is the mask x >= 0?", got, want)
