"""The check pipeline: cases -> expectations -> execution -> comparison -> diagnosis.

``check`` is the one entry point the CLI, the grader and the pytest plugin share.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from harness import autodiff, cache
from harness import oracles as oracle_registry
from harness.case import Case
from harness.comparison import compare
from harness.diagnosis import annotate
from harness.execution import Execution, Job, execute
from harness.expectations import Expectations, expect
from harness.outcome import Outcome
from harness.result import ERROR, FAIL, HARNESS_ERROR, MISSING, PASS, SKIP, Check, Result
from harness.spec import Spec
from harness.target import Target
from harness.tolerance import for_dtype

Executor = Callable[[Target, list[Job]], Execution]


def jobs_for(specs: Sequence[Spec], dtypes: Sequence[str], salt: str = "") -> list[Job]:
    """Every (spec, case) pair for the given layers and dtypes."""
    return [(spec, case) for spec in specs for dtype in dtypes
            for case in spec.cases(dtype, salt)]


@dataclass(frozen=True)
class Preparation:
    """Everything a check needs besides the submission, made once and shared.

    A batch prepares once and runs every submission against the same cases, oracles and
    expected values; nothing in here depends on the code under test.
    """

    jobs: list[Job]
    oracles: list[str]
    skipped: dict[str, str]
    expectations: Expectations


def prepare(specs: Sequence[Spec], dtypes: Sequence[str], oracle_names: list[str] | None = None,
            salt: str = "", expectations: Expectations | None = None) -> Preparation:
    """Draw the cases, pick the available oracles, and compute (or reuse) expectations."""
    jobs = jobs_for(specs, dtypes, salt)
    usable, skipped = oracle_registry.available(oracle_registry.load(oracle_names))
    if expectations is None:
        expectations = expect(jobs, usable, cache.from_environment())
    return Preparation(jobs, [o.name for o in usable], skipped, expectations)


def run(target: Target, prepared: Preparation, executor: Executor = execute) -> Result:
    """Run ``target`` on the prepared cases and judge every outcome."""
    start = time.perf_counter()
    execution = executor(target, prepared.jobs)
    checks = [c for spec, case in prepared.jobs
              for c in judge(spec, case, execution.outcomes[case.id], prepared.oracles,
                             prepared.skipped, prepared.expectations)]
    found = autodiff.findings(target.path, prepared.jobs, execution.outcomes)
    return Result(target.path, execution.adapter, checks, prepared.skipped,
                  [*execution.notes, *autodiff.notes(found)], time.perf_counter() - start,
                  found)


def check(target: Target, specs: Sequence[Spec], dtypes: Sequence[str],
          oracle_names: list[str] | None = None, salt: str = "",
          executor: Executor = execute,
          expectations: Expectations | None = None) -> Result:
    """Check every layer of ``target`` against every available oracle."""
    return run(target, prepare(specs, dtypes, oracle_names, salt, expectations), executor)


def judge(spec: Spec, case: Case, outcome: Outcome, oracles: list[str],
          skipped: dict[str, str], expectations: Expectations) -> list[Check]:
    """Every check of one case: each quantity against each oracle (and the skips)."""
    checks = []
    for quantity in spec.quantities:
        row = [_judge_one(spec, case, outcome, quantity, o, expectations) for o in oracles]
        checks += annotate(spec, case, quantity, outcome, row, expectations)
        checks += [_make(case, quantity, name, SKIP, reason) for name, reason in skipped.items()]
    return checks


def _judge_one(spec, case, outcome, quantity, oracle, expectations) -> Check:
    expected = expectations.get(oracle, case.id)
    if expected is None:
        reason = expectations.unsupported.get((oracle, spec.name), "no expected value")
        return _make(case, quantity, oracle, SKIP, reason)
    if case.id in expectations.disagreements:
        return _make(case, quantity, oracle, HARNESS_ERROR, expectations.disagreements[case.id])
    if outcome.error is not None:
        verdict = MISSING if outcome.error.kind == "not-implemented" else ERROR
        return _make(case, quantity, oracle, verdict, str(outcome.error))
    name = quantity[1:]
    if quantity != "out" and name in outcome.problems:
        return _make(case, quantity, oracle, ERROR, str(outcome.problems[name]))
    result = compare(outcome.value(quantity), expected.value(quantity), for_dtype(case.dtype))
    return _make(case, quantity, oracle, PASS if result.passed else FAIL, comparison=result)


def _make(case: Case, quantity: str, oracle: str, verdict: str, message: str = "",
          comparison=None) -> Check:
    return Check(case.layer, case.index, case.dtype, quantity, oracle, verdict,
                 comparison=comparison, message=message, shapes=case.shapes(), seed=case.seed)
