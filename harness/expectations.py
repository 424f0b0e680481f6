"""Expected values: every oracle on every case, and whether the oracles agree.

Expected values depend on the case alone, never on the code under test, so they are
computed once and can be shared by any number of submissions. Where two oracles
disagree on a case, that is backcheck's problem: the case is marked and no student
is charged for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from harness.case import Case
from harness.comparison import compare
from harness.errors import HarnessError
from harness.execution import Job
from harness.oracles import Oracle
from harness.outcome import Outcome
from harness.spec import Spec
from harness.tolerance import ORACLE_AGREEMENT

if TYPE_CHECKING:
    from harness.cache import ExpectationCache


@dataclass
class Expectations:
    """Expected outcomes by (oracle, case id), plus what could not be computed."""

    outcomes: dict[tuple[str, str], Outcome] = field(default_factory=dict)
    unsupported: dict[tuple[str, str], str] = field(default_factory=dict)
    disagreements: dict[str, str] = field(default_factory=dict)

    def get(self, oracle: str, case_id: str) -> Outcome | None:
        return self.outcomes.get((oracle, case_id))


def expect(jobs: list[Job], oracles: list[Oracle],
           cache: ExpectationCache | None = None) -> Expectations:
    """Evaluate every oracle on every job and cross-check the oracles.

    With a ``cache``, outcomes are read from it (and stored on a miss) one layer and
    dtype at a time; the cross-check is always recomputed from the outcomes, so it
    agrees with them whichever oracles were asked for.
    """
    found = Expectations()
    groups = _by_layer(jobs)
    for oracle in oracles:
        results = (cache.outcomes(oracle, groups, evaluate) if cache
                   else [evaluate(oracle, spec, cases) for spec, cases in groups])
        for (spec, cases), outcomes in zip(groups, results, strict=True):
            if outcomes is None:
                found.unsupported[(oracle.name, spec.name)] = (
                    f"{oracle.name} has no {spec.name}")
                continue
            found.outcomes.update(
                {(oracle.name, c.id): o for c, o in zip(cases, outcomes, strict=True)})
    for spec, case in jobs:
        disagreement = _disagreement(spec.quantities, case.id, oracles, found)
        if disagreement:
            found.disagreements[case.id] = disagreement
    return found


def evaluate(oracle: Oracle, spec: Spec, cases: list[Case]) -> list[Outcome] | None:
    """``oracle`` on every case of one layer, or ``None`` when it has no such layer.

    A framework that is installed but fails to import (a broken wheel, a missing shared
    library) is a ``HarnessError``: backcheck cannot judge, and no one's code is at fault."""
    try:
        if not oracle.supports(spec):
            return None
        return [oracle.evaluate(spec, case) for case in cases]
    except (ImportError, OSError) as exc:
        raise HarnessError(f"oracle {oracle.name} cannot run here: its framework fails to "
                           f"import ({type(exc).__name__}: {exc})",
                           hint=f"repair that installation, or leave the oracle out "
                                f"(--oracles {_others(oracle.name)})") from None


def _others(name: str) -> str:
    from harness import oracles

    return ",".join(n for n in oracles.registered() if n != name) or "fd"


def _by_layer(jobs: list[Job]) -> list[tuple[Spec, list[Case]]]:
    """Jobs grouped by (layer, dtype), in first-seen order."""
    groups: dict[tuple[str, str], tuple[Spec, list[Case]]] = {}
    for spec, case in jobs:
        groups.setdefault((spec.name, case.dtype), (spec, []))[1].append(case)
    return list(groups.values())


def _disagreement(quantities, case_id: str, oracles: list[Oracle],
                  found: Expectations) -> str:
    """The first quantity on which two oracles differ, described, or ``""``."""
    present = [(o.name, found.get(o.name, case_id)) for o in oracles]
    present = [(n, e) for n, e in present if e is not None]
    for (a, ea), (b, eb) in combinations(present, 2):
        for q in quantities:
            if _plainly_agree(ea.value(q), eb.value(q)):
                continue
            result = compare(ea.value(q), eb.value(q), ORACLE_AGREEMENT)
            if not result.passed:
                return f"oracles {a} and {b} disagree on {q}: {result.describe()}"
    return ""


def _plainly_agree(actual: object, expected: object) -> bool:
    """A quick test that ``compare`` would pass: same-shape finite floats, all in tolerance.

    Only a ``True`` is trusted; anything else goes through ``compare`` for the verdict
    and its description. Cross-checking every case of a warm run was a third of it.
    """
    if not (isinstance(actual, np.ndarray) and isinstance(expected, np.ndarray)
            and actual.shape == expected.shape and actual.dtype.kind == "f"
            and expected.dtype.kind == "f"):
        return False
    scale = float(np.max(np.abs(expected), initial=0.0)) or 1.0
    allowed = ORACLE_AGREEMENT.atol * scale + ORACLE_AGREEMENT.rtol * np.abs(expected)
    return bool(np.isfinite(scale) and np.all(np.abs(actual - expected) <= allowed))
