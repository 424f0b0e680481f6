"""Assessing one submission: run it as the plan says, then grade it.

The step ``grade`` and ``batch`` share: the submission is read with the plan's adapter
(``--adapter NAME:options`` or ``--adapter-file``) exactly as ``check`` reads it, run
where the plan says, judged against the prepared expectations and weighed with the
plan's rubric. A submission that cannot be read at all (missing, an empty folder, a
corrupt notebook) is not graded: its grade says so and why.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

import numpy as np

from harness import engine
from harness.errors import BackcheckError, HarnessError, UsageError
from harness.execution import Execution
from harness.expectations import Expectations
from harness.grading import CRASHED, Grade, grade
from harness.plan import Plan, require_target
from harness.result import ERROR, Check, Result


@dataclass
class Graded:
    """A grade plus the arrays of its failing items (for the HTML heatmaps)."""

    grade: Grade
    arrays: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


class _Recorder:
    """An executor that remembers the execution it returned (for the arrays)."""

    def __init__(self, inner):
        self.inner = inner
        self.execution: Execution | None = None

    def __call__(self, target, jobs) -> Execution:
        self.execution = self.inner(target, jobs)
        return self.execution


def grade_one(path: str, plan: Plan, preparation: engine.Preparation,
              executor=None, shrink: bool = False) -> Graded:
    """Check and grade one submission; one that cannot be loaded gets a zero grade with
    the reason (usage errors and broken oracles still raise). ``shrink`` adds each
    failing layer's smallest failing case (``grade`` asks for it; a batch does not)."""
    name = submission_name(path)
    recorder = _Recorder(executor or plan.executor())
    try:
        require_target(path)
        result = engine.run(plan.target(path), preparation, executor=recorder,
                            shrink=shrink)
    except (UsageError, HarnessError):
        raise
    except BackcheckError as exc:
        return Graded(not_graded(name, plan, str(exc)))
    graded = grade(result, plan.rubric, name)
    reason = _unreadable(path, recorder.execution)
    if reason:
        return Graded(not_graded(name, plan, reason, graded))
    return Graded(graded, _arrays(graded, recorder.execution, preparation.expectations))


def not_graded(name: str, plan: Plan, reason: str, graded: Grade | None = None) -> Grade:
    """A zero grade that says why the submission was not graded, listing every test of
    the rubric at zero (so an autograder still shows what there was to earn)."""
    graded = graded or grade(_unrun(name, plan, reason), plan.rubric, name)
    return replace(graded, status=CRASHED, reason=reason,
                   flags=(f"not graded: {reason}", *graded.flags))


def _unrun(name: str, plan: Plan, reason: str) -> Result:
    """Every check of the plan as an error carrying ``reason`` (cases drawn, nothing run)."""
    from harness.oracles import registered

    oracles = plan.oracles or tuple(registered())
    checks = [Check(case.layer, case.index, case.dtype, quantity, oracle, ERROR,
                    message=reason, shapes=case.shapes(), seed=case.seed)
              for spec, case in engine.jobs_for(plan.specs, plan.dtypes, plan.salt)
              for quantity in spec.quantities for oracle in oracles]
    return Result(name, "", checks)


def _unreadable(path: str, execution: Execution | None) -> str:
    """Why a notebook could not be read at all (every outcome a load error), or ``""``.

    A file that is not a notebook is the student's problem, not a score of zero:
    it is not graded, with the reason. (A Python file that fails to load is graded,
    every check an error, as are programs that fail to build.)"""
    if not str(path).lower().endswith(".ipynb"):
        return ""
    errors = [o.error for o in (execution.outcomes.values() if execution else ())]
    if errors and all(e is not None and e.kind == "load" for e in errors):
        return errors[0].message
    return ""


def submission_name(path: str) -> str:
    """The name a submission is known by in reports: its file or directory name."""
    return os.path.basename(os.path.normpath(path)) or path


def _arrays(graded: Grade, execution: Execution | None,
            expectations: Expectations) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(expected, actual) of the first failing item of every failing test."""
    found = {}
    for test in graded.tests:
        item = next((i for i in test.failures if i.check and i.check.comparison), None)
        if item is None or execution is None:
            continue
        case_id = item.check.case_id
        want = expectations.get(item.check.oracle, case_id)
        outcome = execution.outcomes.get(case_id)
        got = outcome.value(test.quantity) if outcome is not None else None
        if want is None or not isinstance(got, np.ndarray | np.generic):
            continue
        label = f"{test.layer} {test.quantity} case {item.case} {item.dtype}"
        found[label] = (np.asarray(want.value(test.quantity)), np.asarray(got))
    return found


__all__ = ["Graded", "grade_one", "not_graded", "submission_name"]
