"""``backcheck repro SUBMISSION CHECK_ID``: a script that reproduces one failing check.

The script holds the case's exact inputs and the expected value, calls your code on
them without any sandbox, and prints expected against got: run it, or step through
it with ``python -m pdb``. CHECK_ID is the id the report prints, such as
``Linear-case2-float32-dW-torch`` (the oracle part is optional).

Exit codes: 0 written; 2 bad command line or check id; 3 the submission does not exist.
"""

from __future__ import annotations

import argparse
import os
import sys

from harness import specs
from harness.errors import EXIT_OK, BackcheckError, UsageError
from harness.repro import CheckId, script


def register(sub) -> None:
    parser = sub.add_parser("repro", help="write a script that reproduces one failing check",
                            description=__doc__.splitlines()[0], epilog=__doc__)
    parser.add_argument("submission", help="the .py file, package, notebook or zip checked")
    parser.add_argument("check_id", help="a check id from a report, e.g. Linear-case2-dW")
    parser.add_argument("--salt", default="", help="the course salt the grade used")
    parser.add_argument("--adapter", default=None, help="adapter name (default: detect)")
    parser.add_argument("--adapter-file", default=None,
                        help="a local Python file defining ADAPTER")
    parser.add_argument("--out", default=None,
                        help="write the script here (default: print it)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    check = CheckId.parse(args.check_id)
    spec = specs.select([check.layer])[0]
    if check.quantity not in spec.quantities:
        raise UsageError(f"{check.layer} has no quantity {check.quantity!r}",
                         hint=f"its quantities: {', '.join(spec.quantities)}")
    if check.index >= len(spec.variants):
        raise UsageError(f"{check.layer} has no case {check.index}",
                         hint=f"its cases are 0 to {len(spec.variants) - 1}")
    if not os.path.exists(args.submission):
        raise BackcheckError(f"{args.submission}: no such file or directory",
                         hint="give the submission the report was made for")
    from harness.oracles.fd import FiniteDifferenceOracle

    case = spec.case(check.index, check.dtype, args.salt)
    expected = FiniteDifferenceOracle().evaluate(spec, case).value(check.quantity)
    text = script(spec, case, check.quantity, expected, os.path.abspath(args.submission),
                  args.adapter, args.adapter_file)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"wrote {args.out}: run it with python {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
