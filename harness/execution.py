"""Running the code under test on every case, in this process.

This is the one place that loads a submission, picks its adapter and calls it; the
sandbox runs exactly this function in a child process. No expected value, reference
code or rubric is needed here, so none is reachable from the code under test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from harness import adapters, loaders
from harness.adapters import probes
from harness.case import Case
from harness.loaders.file import on_path
from harness.loaders.source import translating
from harness.outcome import Outcome, RunError
from harness.spec import Spec
from harness.submission import Submission
from harness.target import Target

Job = tuple[Spec, Case]
Progress = Callable[[str, Outcome | None], None]
"""Told ``("", None)`` once the submission has loaded, then ``(case id, outcome)`` per job."""


@dataclass
class Execution:
    """Outcomes by case id, the adapter used, and notes from loading."""

    outcomes: dict[str, Outcome]
    adapter: str = ""
    notes: list[str] = field(default_factory=list)


def execute(target: Target, jobs: list[Job], progress: Progress | None = None) -> Execution:
    """Load ``target``, adapt it, and run every job with the contract probes of
    ``harness.adapters.probes`` (whatever the adapter); failures become outcomes.

    ``progress`` lets the sandbox's child stream results as they come, so a crash or
    a timeout loses only the layer that was running.
    """
    report = progress or _ignore
    for folder in reversed(target.import_paths):
        on_path(folder)
    chosen = adapters.from_file(target.adapter_file) if target.adapter_file else None
    with translating(getattr(chosen, "translate", None)):
        submission = loaders.load(target.path)
    report("", None)
    if submission.error:
        error = RunError("load", f"{submission.name} failed to load: {submission.error}")
        return Execution({c.id: Outcome(None, error=error) for _, c in jobs}, "",
                         submission.notes)
    adapter, detection = adapters.choose(submission.namespace, target.adapter, chosen)
    notes = list(submission.notes)
    if adapter.name != "native" or not detection.layers:
        notes.append(f"adapter {adapter.name}: {detection.evidence}")
    runners: dict[str, adapters.Runner | None] = {}
    outcomes = {}
    for spec, case in jobs:
        if spec.name not in runners:
            runners[spec.name] = adapter.runner(submission.namespace, spec)
        runner = runners[spec.name]
        outcomes[case.id] = (probes.observe(runner, spec, case) if runner
                             else _undefined(spec, submission))
        report(case.id, outcomes[case.id])
    return Execution(outcomes, adapter.name, notes)


def _ignore(case_id: str, outcome: Outcome | None) -> None:
    """The default ``progress``: nobody is listening."""


def _undefined(spec: Spec, submission: Submission) -> Outcome:
    """The outcome of every case of a layer the submission lacks."""
    return Outcome(None, error=RunError("not-implemented", submission.undefined(spec.name)))
