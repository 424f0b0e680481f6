"""``backcheck check IMPL``: is every layer's forward and backward right?"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from harness import engine, isolation, specs
from harness.commands.options import add_isolation, add_selection, dtypes, limits
from harness.errors import EXIT_CHECKS_FAILED, EXIT_OK
from harness.reports import json as json_report
from harness.reports import terminal
from harness.target import Target


def register(sub) -> None:
    parser = sub.add_parser("check", help="check an implementation layer by layer",
                            description=__doc__)
    parser.add_argument("impl", help="'reference', a .py file, package, notebook or zip")
    add_selection(parser)
    add_isolation(parser, default="none")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check, then print; whatever the code under test prints goes to stderr, so it can
    never mix into the table or the ``--json`` document on stdout."""
    target = Target(args.impl, args.adapter, args.adapter_file)
    with contextlib.redirect_stdout(sys.stderr):
        result = engine.check(target, specs.select(args.layers), dtypes(args),
                              args.oracles or None, args.salt,
                              executor=isolation.executor(args.isolation, limits(args)))
    if args.json:
        json.dump(json_report.to_dict(result), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        terminal.render(result)
    return EXIT_OK if result.passed else EXIT_CHECKS_FAILED
