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
from harness.oracles.fd import FiniteDifferenceOracle
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
    """Shrink the failing ``case`` of ``spec`` one setting at a time, a few passes over
    the settings (None: nothing smaller fails, or there is nothing to shrink)."""
    current = dict(spec.variants[case.index])
    shrunk, needs = None, {}
    for _ in range(MAX_PASSES):
        changed, needs = False, {}
        for key, smaller_values in _reductions(current, spec.variants):
            passed = False
            for smaller in smaller_values:
                candidate = _valid(spec, {**current, key: smaller}, case.dtype, salt)
                if candidate is None:
                    continue
                if _fails(spec, candidate, quantity, target, executor):
                    current, shrunk, changed = {**current, key: smaller}, candidate, True
                    break
                passed = True
            else:
                if passed and isinstance(current[key], int):
                    needs[key] = current[key]
        if not changed:
            break
    return None if shrunk is None else Shrunk(spec.name, quantity, shrunk, needs)


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
            tries = [t for t in _smaller_tuples(value) if t != value]
            if tries:
                yield key, tries


def _smaller_tuples(value: tuple[int, ...]) -> list[tuple[int, ...]]:
    """All ones first, then every element halved, then every element less one."""
    tries = (tuple(1 for _ in value), tuple(max(1, (v + 1) // 2) for v in value),
             tuple(max(1, v - 1) for v in value))
    return list(dict.fromkeys(tries))


def _valid(spec: Spec, variant: dict[str, Any], dtype: str, salt: str) -> Case | None:
    """A case for ``variant`` on which the reference meets the tolerance, or None."""
    if variant in list(spec.variants):
        return None
    probe = replace(spec, variants=[variant])
    try:
        with np.errstate(all="ignore"):
            case = probe.case(0, dtype, salt)
            expected = FiniteDifferenceOracle().evaluate(probe, case)
            layer = spec.reference_class()(**case.params, **case.config)
            out = layer.forward(*[case.inputs[n] for n in spec.inputs])
            grads = layer.backward(case.upstream)
    except (ValueError, IndexError, ZeroDivisionError, FloatingPointError):
        return None
    own = Outcome(np.asarray(out), {k: np.asarray(v) for k, v in grads.items()})
    tol = for_dtype(dtype)
    right = all(compare(own.value(q), expected.value(q), tol).passed for q in spec.quantities)
    scale = DEGENERATE * float(np.max(np.abs(case.upstream), initial=0.0))
    alive = all(np.max(np.abs(expected.value(q)), initial=0.0) > scale
                for q in spec.quantities)
    return case if right and alive else None


def _fails(spec: Spec, case: Case, quantity: str, target: Target, executor: Executor) -> bool:
    """Whether the submission still gets ``quantity`` wrong on ``case``."""
    probe = replace(spec, variants=[{}])
    outcome = executor(target, [(probe, case)]).outcomes[case.id]
    if outcome.error is not None or quantity[1:] in outcome.problems:
        return True
    expected = FiniteDifferenceOracle().evaluate(probe, case).value(quantity)
    return not compare(outcome.value(quantity), expected, for_dtype(case.dtype)).passed
