"""``backcheck grade SUBMISSION``: score one submission with a rubric and write its reports.

Exit codes: 0 graded (whatever the score: use ``backcheck check`` to fail a CI step on any
wrong gradient); 1 the submission could not be graded (a corrupt notebook; its
reports say why); 2 bad command line (an unknown layer,
``--timeout 0``); 3 bad input (no such submission, an empty folder, a rubric error, an
unwritable ``--out``); 4 backcheck cannot judge (an oracle is broken).
"""

from __future__ import annotations

import argparse
import contextlib
import threading

from harness.commands.options import add_grading, plan_of
from harness.errors import EXIT_CHECKS_FAILED, EXIT_OK


def register(sub) -> None:
    parser = sub.add_parser("grade", help="score one submission with a rubric",
                            description=__doc__.splitlines()[0], epilog=__doc__)
    parser.add_argument("submission", help="a .py file, package, notebook or zip")
    add_grading(parser, formats="terminal")
    parser.add_argument("--out", default="backcheck-report",
                        help="directory for report files (default: %(default)s)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate, grade, write the file reports, print the terminal one."""
    plan = plan_of("grade", args, path=args.submission, target=False)
    _require_submission(plan)
    from harness import reports
    from harness.assessment import grade_one
    from harness.grading import GRADED
    from harness.reports import View

    if plan.isolation == "process":
        threading.Thread(target=_warm_sandbox, daemon=True).start()
    preparation = plan.prepare()
    with _status(f"grading {plan.path}"):
        graded = grade_one(plan.path, plan, preparation, shrink=True)
    if set(plan.formats) - {reports.TERMINAL}:
        reports.write_reports(graded, plan.formats, plan.out, View.of(plan))
    if reports.TERMINAL in plan.formats:
        from harness.reports import terminal

        terminal.render_grade(graded.grade, students=plan.students)
    return EXIT_OK if graded.grade.status == GRADED else EXIT_CHECKS_FAILED


def _require_submission(plan) -> None:
    """A missing submission or an empty folder is bad input (exit 3, one line); its file
    reports still say so, so an autograder shows the student a zero with the reason."""
    from harness import reports
    from harness.assessment import Graded, not_graded, submission_name
    from harness.errors import BackcheckError
    from harness.plan import require_target
    from harness.reports import View

    try:
        require_target(plan.path)
    except BackcheckError as exc:
        if set(plan.formats) - {reports.TERMINAL}:
            graded = Graded(not_graded(submission_name(plan.path), plan, str(exc)))
            reports.write_reports(graded, plan.formats, plan.out, View.of(plan))
        raise


def _warm_sandbox() -> None:
    """Start the sandbox's fork server while the expected values load, not after.

    A failure is left for the first launch to report, with its own clear message.
    """
    from harness import sandbox

    with contextlib.suppress(Exception):
        sandbox.warm()


def _status(message: str):
    """A spinner on stderr while a submission is graded (nothing when not a terminal)."""
    from contextlib import nullcontext

    from rich.console import Console

    console = Console(stderr=True)
    return console.status(message) if console.is_terminal else nullcontext()


__all__ = ["register", "run"]
