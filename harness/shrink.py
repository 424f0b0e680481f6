"""The smallest case on which a failing layer still fails, and what the failure needs.

For a failing layer, one setting of its variant at a time is made as small as it goes
(batch 1, one channel, the smallest size, stride 1, no padding), the student's code is
run on a case drawn for the smaller variant, and the reduction is kept while the
quantity still fails. A setting whose reduction makes it pass is one the failure needs:
"fails only when stride=2; smallest: x(1, 1, 3, 3), W(1, 1, 2, 2)". Cases stay kink-
and tie-free (each is drawn by the spec), and a candidate on which the reference itself
does not meet the tolerance, or where a quantity vanishes (too small to say anything,
like a batch norm over two samples), is never used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from harness.case import Case
from harness.comparison import compare
from harness.execution import Execution, Job
from harness.outcome import Outcome
from harness.spec import Spec
from harness.target import Target
from harness.tolerance import for_dtype

Executor = Callable[[Target, list[Job]], Execution]
SMALLEST = {"padding": 0}
"""The smallest value of an integer setting; every other one goes down to 1."""
MAX_PASSES = 3
DEGENERATE = 1e-3
"""A quantity no larger than this times the upstream gradient everywhere (a batch norm's dx
over two samples, a softmax over one class) says nothing: such a case is never offered."""


@dataclass(frozen=True)
class Shrunk:
    """The smallest failing case found, and the settings the failure needs."""

    layer: str
    quantity: str
    case: Case
    needs: Mapping[str, Any]

    def __str__(self) -> str:
        needs = ", ".join(f"{k}={v}" for k, v in self.needs.items())
        only = f"fails only when {needs}; " if needs else ""
        return f"{self.layer} {self.quantity}: {only}smallest failing case: {self.case.shapes()}"


def minimal(spec: Spec, case: Case, quantity: str, target: Target, executor: Executor,
            salt: str = "") -> Shrunk | None:
    """Shrink the failing ``case`` of ``spec``, a few passes over its settings (None:
    nothing smaller fails, or there is nothing to shrink).

    Each pass runs every one-setting reduction of the current variant in one call of the
    executor (one child when sandboxed), then keeps the smallest failing value of each
    setting: all of them together when that still fails, else the first one.
    """
    current = dict(spec.variants[case.index])
    shrunk, needs, tried = None, {}, [current]
    for _ in range(MAX_PASSES):
        trials = _trials(spec, current, tried, case.dtype, salt)
        if not trials:
            break
        failed = _failing(spec, [t for ts in trials.values() for t in ts], quantity, target,
                          executor)
        best = {key: next(t for t in ts if t.case.id in failed)
                for key, ts in trials.items() if any(t.case.id in failed for t in ts)}
        needs = {key: current[key] for key in trials
                 if key not in best and isinstance(current[key], int)}
        if not best:
            break
        adopted = _together(spec, current, best, case.dtype, salt, quantity, target, executor)
        current, shrunk = adopted.variant, adopted.case
    return None if shrunk is None else Shrunk(spec.name, quantity, shrunk, needs)


@dataclass(frozen=True)
class _Trial:
    """One smaller variant, its case (drawn by the spec) and the reference's values."""

    variant: dict[str, Any]
    case: Case
    expected: Outcome


def _trials(spec: Spec, current: dict[str, Any], tried: list[dict[str, Any]], dtype: str,
            salt: str) -> dict[str, list[_Trial]]:
    """Per setting, the valid one-setting reductions of ``current`` not tried before."""
    variants = []
    for key, values in _reductions(current, spec.variants):
        for value in values:
            variant = {**current, key: value}
            if variant not in tried:
                tried.append(variant)
                variants.append((key, variant))
    probe = replace(spec, variants=[v for _, v in variants])
    trials: dict[str, list[_Trial]] = {}
    for index, (key, variant) in enumerate(variants):
        drawn = _valid(probe, index, dtype, salt)
        if drawn is not None:
            trials.setdefault(key, []).append(_Trial(variant, *drawn))
    return trials


def _together(spec, current, best, dtype, salt, quantity, target, executor) -> _Trial:
    """Every setting's best reduction at once when that still fails, else the first."""
    first = next(iter(best.values()))
    if len(best) == 1:
        return first
    combined = {**current, **{key: trial.variant[key] for key, trial in best.items()}}
    drawn = _valid(replace(spec, variants=[combined]), 0, dtype, salt)
    if drawn is None:
        return first
    trial = _Trial(combined, *drawn)
    return trial if _failing(spec, [trial], quantity, target, executor) else first


def _reductions(variant: Mapping[str, Any], known: Sequence[Mapping[str, Any]]
                ) -> Iterator[tuple[str, list[Any]]]:
    """(setting, smaller values to try, smallest first): integers first (down to 1, or to
    the smallest the spec's own variants use), then tuples (sizes, kernels), so that a
    size shrinks once stride and kernel have."""
    settings = [(k, v) for k, v in variant.items() if not isinstance(v, bool)]
    for key, value in settings:
        if isinstance(value, int):
            low = SMALLEST.get(key, 1)
            used = min((v[key] for v in known if isinstance(v.get(key), int)), default=low)
            tries = sorted({v for v in (low, low + 1, used) if v < value})
            if tries:
                yield key, tries
    for key, value in settings:
        if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
            tries = [t for t in _smaller_tuples(value, SMALLEST.get(key, 1)) if t != value]
            if tries:
                yield key, tries


def _smaller_tuples(value: tuple[int, ...], low: int = 1) -> list[tuple[int, ...]]:
    """All ``low`` first, then every element halved, then every element less one, none
    below ``low`` nor above its own value (a per-axis ``padding=(1, 0)`` goes to 0, not 1)."""
    tries = (tuple(low for _ in value), tuple(max(low, (v + 1) // 2) for v in value),
             tuple(max(low, v - 1) for v in value))
    smaller = [tuple(min(t, v) for t, v in zip(tried, value, strict=True)) for tried in tries]
    return list(dict.fromkeys(smaller))


def _valid(probe: Spec, index: int, dtype: str, salt: str) -> tuple[Case, Outcome] | None:
    """Variant ``index`` of ``probe`` as a case on which the reference meets the tolerance
    and no quantity vanishes, with its expected values; None otherwise."""
    try:
        with np.errstate(all="ignore"):
            case = probe.case(index, dtype, salt)
            expected = _reference(probe, case, np.float64)
            own = _reference(probe, case, None)
    except (ValueError, IndexError, ZeroDivisionError, FloatingPointError):
        return None
    tol = for_dtype(dtype)
    right = all(compare(own.value(q), expected.value(q), tol).passed for q in probe.quantities)
    scale = DEGENERATE * float(np.max(np.abs(case.upstream), initial=0.0))
    alive = all(np.max(np.abs(expected.value(q)), initial=0.0) > scale
                for q in probe.quantities)
    return (case, expected) if right and alive else None


def _reference(spec: Spec, case: Case, dtype: type | None) -> Outcome:
    """The reference's own forward and backward on ``case``, in ``dtype`` (None: the
    case's). In float64 this is the candidates' oracle: the reference agrees with
    finite differences, PyTorch and TensorFlow to about 1e-11 on the catalog's cases
    (the suite's cross-checks) and costs one backward instead of four forwards per
    element, which is what made a convolution's shrink cost over a second."""
    def cast(array: np.ndarray) -> np.ndarray:
        array = np.asarray(array)
        floating = dtype is not None and np.issubdtype(array.dtype, np.floating)
        return array.astype(dtype) if floating else array.copy()

    layer = spec.reference_class()(**{k: cast(v) for k, v in case.params.items()},
                                   **case.config)
    out = layer.forward(*[cast(case.inputs[n]) for n in spec.inputs])
    grads = layer.backward(cast(case.upstream))
    return Outcome(np.asarray(out), {k: np.asarray(v) for k, v in grads.items()})


def _failing(spec: Spec, trials: list[_Trial], quantity: str, target: Target,
             executor: Executor) -> set[str]:
    """The ids of the trials' cases on which the submission still gets ``quantity`` wrong
    (one executor call for all of them)."""
    ran = executor(target, [(replace(spec, variants=[t.variant]), t.case) for t in trials])
    failed = set()
    for trial in trials:
        outcome = ran.outcomes[trial.case.id]
        broken = outcome.error is not None or quantity[1:] in outcome.problems
        if broken or not compare(outcome.value(quantity), trial.expected.value(quantity),
                                 for_dtype(trial.case.dtype)).passed:
            failed.add(trial.case.id)
    return failed


def minimal_failures(result, specs: Sequence[Spec], target: Target, executor: Executor,
                     salt: str = "") -> dict[str, Shrunk]:
    """For every layer of ``result`` with a wrong or raising quantity, its minimal failing
    case (a layer that is missing, or whose smaller cases all pass, gets none). The
    adapter the run chose is kept, so no candidate run pays for detecting it again."""
    by_name = {spec.name: spec for spec in specs}
    if not (target.adapter or target.adapter_file) and result.adapter:
        target = replace(target, adapter=result.adapter)
    found = {}
    for layer, check in _first_failures(result).items():
        spec = by_name.get(layer)
        if spec is None:
            continue
        shrunk = minimal(spec, spec.case(check.case, check.dtype, salt), check.quantity,
                         target, executor, salt)
        if shrunk is not None:
            found[layer] = shrunk
    return found


def _first_failures(result) -> dict[str, Any]:
    """Per layer, its first failing check: float64 before float32, then by case."""
    from harness.result import ERROR, FAIL

    failing = [c for c in result.checks if c.verdict in (FAIL, ERROR)]
    failing.sort(key=lambda c: (c.dtype != "float64", c.case))
    first: dict[str, Any] = {}
    for check in failing:
        first.setdefault(check.layer, check)
    return first
