"""``backcheck check IMPL``: is every layer's forward and backward right?"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from harness.commands.options import add_isolation, add_selection, plan_of
from harness.errors import EXIT_CHECKS_FAILED, EXIT_HARNESS, EXIT_OK


def register(sub) -> None:
    parser = sub.add_parser("check", help="check an implementation layer by layer",
                            description=__doc__)
    parser.add_argument("impl", help="'reference', a .py file, package, notebook or zip")
    add_selection(parser)
    add_isolation(parser, default="none")
    parser.add_argument("--rubric", default=None, metavar="FILE",
                        help="a course rubric whose adapter and cases apply (its points do "
                             "not), as grade applies them; --adapter and --cases override")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate, check, then print; whatever the code under test prints goes to stderr,
    so it can never mix into the table or the ``--json`` document on stdout."""
    plan = plan_of("check", args, path=args.impl)
    from harness import engine
    from harness.reports import json as json_report
    from harness.reports import terminal

    with contextlib.redirect_stdout(sys.stderr):
        result = engine.run(plan.target(), plan.prepare(), executor=plan.executor(),
                            shrink=True)
    if args.json:
        json.dump(json_report.to_dict(result), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        terminal.render(result)
    return exit_code(result)


def exit_code(result) -> int:
    """1 when a check failed; else 4 when backcheck could not judge a check (two oracles
    disagree: not the code's fault, but not a pass a CI gate may trust); else 0."""
    from harness.result import HARNESS_ERROR

    if not result.passed:
        return EXIT_CHECKS_FAILED
    return EXIT_HARNESS if any(c.verdict == HARNESS_ERROR for c in result.checks) else EXIT_OK
