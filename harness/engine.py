"""The check pipeline: cases -> expectations -> execution -> judging (comparison and
diagnosis).

``check`` is the one entry point the CLI, the grader and the pytest plugin share.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from harness import autodiff, cache, location, selection
from harness import oracles as oracle_registry
from harness.execution import Execution, Job, execute
from harness.expectations import Expectations, expect
from harness.judging import judge
from harness.result import ERROR, FAIL, Check, Result
from harness.selection import Selector
from harness.shrink import minimal_failures
from harness.spec import Spec
from harness.target import Target

PROTOCOL = "protocol"
NOT_LOADED = "load"
"""The ``RunError.kind`` of every outcome of a submission that failed to load."""
"""The adapter that drives another program: its layers have no Python source here."""

Executor = Callable[[Target, list[Job]], Execution]


def jobs_for(specs: Sequence[Spec], dtypes: Sequence[str], salt: str = "",
             cases: tuple[Selector, ...] = ()) -> list[Job]:
    """Every (spec, case) pair for the given layers and dtypes, as ``cases`` selects
    (``harness.selection``: ``--cases``)."""
    return [(spec, case) for spec in specs for dtype in dtypes
            for case in spec.cases(dtype, salt) if selection.keep(cases, spec, case.index)]


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
    notes: tuple[str, ...] = ()
    """Said on every result made from it (a course rubric's adapter and cases in use)."""


def prepare(specs: Sequence[Spec], dtypes: Sequence[str], oracle_names: list[str] | None = None,
            salt: str = "", expectations: Expectations | None = None,
            cases: tuple[Selector, ...] = (), notes: tuple[str, ...] = ()) -> Preparation:
    """Draw the cases (those ``cases`` selects), pick the available oracles, and compute
    (or reuse) expectations."""
    jobs = jobs_for(specs, dtypes, salt, cases)
    usable, skipped = oracle_registry.available(oracle_registry.load(oracle_names))
    if expectations is None:
        expectations = expect(jobs, usable, cache.from_environment())
    return Preparation(jobs, [o.name for o in usable], skipped, expectations, notes)


def run(target: Target, prepared: Preparation, executor: Executor = execute,
        shrink: bool = False) -> Result:
    """Run ``target`` on the prepared cases and judge every outcome; with ``shrink``, find
    each failing layer's smallest failing case too (``harness.shrink``: up to about a
    second a layer, so one submission's commands ask for it and a batch does not)."""
    start = time.perf_counter()
    runnable, unsupported = selection.split(target, prepared.jobs)
    execution = executor(target, runnable)
    execution.outcomes.update(unsupported)
    declined = selection.declined(target, execution.adapter, runnable, execution.outcomes)
    execution.outcomes.update(declined)
    checks = [c for spec, case in prepared.jobs
              for c in judge(spec, case, execution.outcomes[case.id], prepared.oracles,
                             prepared.skipped, prepared.expectations, execution.adapter)]
    checks = locate(target.path, execution.adapter, checks)
    found = autodiff.findings(target.path, prepared.jobs, execution.outcomes)
    result = Result(target.path, execution.adapter, checks, prepared.skipped,
                    [*prepared.notes, *execution.notes, *autodiff.notes(found)], 0.0, found,
                    adapter_flags=_adapter_flags(target))
    if shrink and not result.passed and _loaded(execution):
        specs = list({spec.name: spec for spec, _ in prepared.jobs}.values())
        shrunk = minimal_failures(result, specs, target, executor)
        result = replace(result, minimal={k: str(v) for k, v in shrunk.items()})
    return replace(result, seconds=time.perf_counter() - start)


def _loaded(execution: Execution) -> bool:
    """Whether the submission loaded: a never-loaded one fails the same way on every
    smaller case too, so shrinking it would only run (and, sandboxed, spawn) for nothing."""
    return not any(o.error is not None and o.error.kind == NOT_LOADED
                   for o in execution.outcomes.values())


def locate(path: str, adapter: str, checks: list[Check]) -> list[Check]:
    """``checks`` with every failing one told where its quantity was computed: the
    function and statement of the submission's source (``harness.location``), or, for a
    program driven over the protocol, the program's layer."""
    failing = {(c.layer, c.quantity) for c in checks if c.verdict in (FAIL, ERROR)}
    if not failing:
        return checks
    if adapter == PROTOCOL:
        where = {key: f"in the program's {key[0]} layer" for key in failing}
    else:
        sources = list(autodiff.sources(path))
        found = {key: location.locate(sources, *key) for key in failing}
        where = {key: str(place) for key, place in found.items() if place is not None}
    return [replace(c, where=where[(c.layer, c.quantity)])
            if c.verdict in (FAIL, ERROR) and (c.layer, c.quantity) in where else c
            for c in checks]


def _adapter_flags(target: Target) -> tuple[str, ...]:
    """The command-line flags that chose ``target``'s adapter (none: it was detected)."""
    flags = ("--adapter", target.adapter) if target.adapter else ()
    return (*flags, *(("--adapter-file", target.adapter_file) if target.adapter_file else ()))


def check(target: Target, specs: Sequence[Spec], dtypes: Sequence[str],
          oracle_names: list[str] | None = None, salt: str = "",
          executor: Executor = execute,
          expectations: Expectations | None = None) -> Result:
    """Check every layer of ``target`` against every available oracle."""
    return run(target, prepare(specs, dtypes, oracle_names, salt, expectations), executor)
