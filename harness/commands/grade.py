"""``backcheck grade SUBMISSION``: score one submission with a rubric and write its reports.

Exit codes: 0 graded (whatever the score: use ``backcheck check`` to fail a CI step on any
wrong gradient); 1 the submission could not be graded at all (its reports say why);
2 bad command line; 3 bad input (rubric, unwritable ``--out``); 4 backcheck cannot
judge (an oracle is broken).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from harness import engine, isolation, specs
from harness import oracles as oracle_registry
from harness import rubric as rubrics
from harness.commands.options import add_isolation, add_selection, csv_list, limits
from harness.errors import (
    EXIT_CHECKS_FAILED,
    EXIT_OK,
    BackcheckError,
    HarnessError,
    UsageError,
)
from harness.execution import Execution
from harness.expectations import Expectations
from harness.grading import GRADED, Grade, crashed, grade
from harness.rubric import Rubric
from harness.spec import Spec
from harness.target import Target

FORMATS = ("terminal", "json", "gradescope", "junit", "html", "markdown")
FILES = {"json": "grade.json", "gradescope": "results.json", "junit": "junit.xml",
         "html": "report.html", "markdown": "report.md"}
"""Report format -> file name in the output directory (terminal prints instead)."""


def register(sub) -> None:
    parser = sub.add_parser("grade", help="score one submission with a rubric",
                            description=__doc__.splitlines()[0], epilog=__doc__)
    parser.add_argument("submission", help="a .py file, package, notebook or zip")
    add_grading(parser, formats="terminal")
    parser.add_argument("--out", default="backcheck-report",
                        help="directory for report files (default: %(default)s)")
    parser.set_defaults(run=run)


def add_grading(parser: argparse.ArgumentParser, formats: str) -> None:
    """The options ``grade`` and ``batch`` share."""
    add_selection(parser)
    add_isolation(parser, default="process")
    parser.add_argument("--rubric", default=None,
                        help="rubric TOML file (default: the built-in rubric)")
    parser.add_argument("--format", type=csv_list, default=csv_list(formats),
                        help=f"comma-separated: {','.join(FORMATS)} (default: {formats})")
    parser.add_argument("--students", action="store_true",
                        help="leave hidden checks' details out of terminal, HTML, Markdown")


def run(args: argparse.Namespace) -> int:
    plan = Plan.from_args(args)
    formats = checked_formats(args.format)
    if plan.isolation == "process":
        threading.Thread(target=_warm_sandbox, daemon=True).start()
    preparation = prepared(plan)
    with _status(f"grading {args.submission}"):
        graded = grade_one(args.submission, plan, preparation)
    if set(formats) - {"terminal"}:
        write_reports(graded, formats, args.out, plan.settings(), args.students,
                      plan.rubric.hidden_visibility)
    if "terminal" in formats:
        from harness.reports import terminal

        terminal.render_grade(graded.grade, students=args.students)
    return EXIT_OK if graded.grade.status == GRADED else EXIT_CHECKS_FAILED


@dataclass
class Plan:
    """What to grade with: rubric, layers, dtypes, oracles, salt and where code runs."""

    rubric: Rubric
    specs: list[Spec]
    dtypes: list[str]
    oracle_names: list[str] | None
    salt: str
    isolation: str
    limits: Any = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Plan:
        rubric = rubrics.load(args.rubric)
        if args.layers:
            rubric = rubric.restrict(args.layers)
        dtypes = list(rubric.dtypes) if args.dtype == "all" else [args.dtype]
        return cls(rubric, specs.select(rubric.layers), dtypes, args.oracles or None,
                   args.salt or rubric.salt, args.isolation, limits(args))

    def executor(self):
        """Where submission code runs; a clear error if process isolation is missing."""
        try:
            return isolation.executor(self.isolation, self.limits)
        except (ImportError, AttributeError) as exc:
            raise BackcheckError(f"process isolation is unavailable ({exc})",
                                 hint="use --isolation none for trusted code only") from None

    def settings(self) -> dict[str, Any]:
        """Everything a grade depends on besides the submission (the salt as a digest)."""
        salt = hashlib.blake2b(self.salt.encode(), digest_size=8).hexdigest()
        return {"rubric": self.rubric.name, "rubric_digest": self.rubric.digest,
                "layers": [s.name for s in self.specs], "dtypes": list(self.dtypes),
                "oracles": list(self.oracle_names or oracle_registry.registered()),
                "salt_digest": salt}


def _warm_sandbox() -> None:
    """Start the sandbox's fork server while the expected values load, not after.

    A failure is left for the first launch to report, with its own clear message.
    """
    from harness import sandbox

    with contextlib.suppress(Exception):
        sandbox.warm()


def prepared(plan: Plan) -> engine.Preparation:
    """Cases, oracles and expected values of the plan: made once, shared by a batch.

    The one place ``grade`` and ``batch`` compute expectations.
    """
    return engine.prepare(plan.specs, plan.dtypes, plan.oracle_names, plan.salt)


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
              executor=None) -> Graded:
    """Check and grade one submission; a submission that cannot be loaded gets a zero
    grade with the reason (usage errors and broken oracles still raise)."""
    name = submission_name(path)
    recorder = _Recorder(executor or plan.executor())
    try:
        result = engine.run(Target(path), preparation, executor=recorder)
    except (UsageError, HarnessError):
        raise
    except BackcheckError as exc:
        return Graded(crashed(name, plan.rubric, str(exc)))
    graded = grade(result, plan.rubric, name)
    return Graded(graded, _arrays(graded, recorder.execution, preparation.expectations))


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


def checked_formats(formats: list[str]) -> list[str]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown report format {(unknown or [''])[0]!r}",
                         hint=f"valid: {', '.join(FORMATS)}")
    return formats


def write_reports(graded: Graded, formats: list[str], out: str, settings: dict[str, Any],
                  students: bool = False, hidden: str = "hidden") -> None:
    """Every file format into ``out``; ``grade.json`` last, as the sign of completion.

    ``hidden`` is the Gradescope visibility of the rubric's hidden checks."""
    from harness.reports import gradescope, junit, markdown
    from harness.reports import json as json_report

    grade_ = graded.grade
    writers = {
        "gradescope": lambda: json_report.dumps(gradescope.to_dict(grade_, hidden)),
        "junit": lambda: junit.render(grade_),
        "markdown": lambda: markdown.render(grade_, students),
        "html": lambda: _html(graded, students),
        "json": lambda: json_report.dumps(json_report.grade_dict(grade_, settings)),
    }
    make_directory(out)
    for fmt in sorted(set(formats) - {"terminal"}, key=lambda f: f == "json"):
        write_text(os.path.join(out, FILES[fmt]), writers[fmt]())


def _html(graded: Graded, students: bool) -> str:
    from harness.reports import html

    return html.render(graded.grade, graded.arrays, students)


def make_directory(path: str) -> None:
    """``mkdir -p path``, or a one-line error naming it."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise BackcheckError(f"cannot create output directory: {exc.strerror or exc}",
                             where=path, hint="choose another --out") from None


def write_text(path: str, text: str) -> None:
    """Write ``text`` atomically (a temporary file renamed), or a one-line error."""
    folder = os.path.dirname(path) or "."
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        raise BackcheckError(f"cannot write report: {exc.strerror or exc}", where=path,
                             hint="choose another --out") from None


def _status(message: str):
    """A spinner on stderr while a submission is graded (nothing when not a terminal)."""
    from contextlib import nullcontext

    from rich.console import Console

    console = Console(stderr=True)
    return console.status(message) if console.is_terminal else nullcontext()


__all__ = ["FILES", "FORMATS", "Graded", "Plan", "grade_one", "prepared", "register", "run",
           "write_reports"]
