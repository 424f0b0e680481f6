"""Options shared by the subcommands that check an implementation."""

from __future__ import annotations

import argparse

from harness.case import DTYPES


def csv_list(value: str) -> list[str]:
    """``"a,b"`` -> ``["a", "b"]`` (argparse type)."""
    return [item.strip() for item in value.split(",") if item.strip()]


def add_selection(parser: argparse.ArgumentParser) -> None:
    """``--layers``, ``--dtype``, ``--oracles``, ``--adapter``, ``--adapter-file``,
    ``--path``, ``--cases``."""
    parser.add_argument("--layers", type=csv_list, default=[],
                        help="comma-separated layer names (default: the whole catalog)")
    parser.add_argument("--dtype", choices=[*DTYPES, "all"], default="all",
                        help="dtype to check in (default: all)")
    parser.add_argument("--oracles", type=csv_list, default=[],
                        help="comma-separated oracles: fd,torch,tensorflow (default: all)")
    parser.add_argument("--adapter", default=None, help="adapter name (default: detect)")
    parser.add_argument("--adapter-file", default=None,
                        help="a local Python file defining ADAPTER")
    parser.add_argument("--salt", default="", help="course salt for the case seeds")
    parser.add_argument("--path", dest="import_path", action="append", default=[],
                        metavar="DIR",
                        help="a folder the submission imports from (its own library, "
                             "helpers); repeatable, first given first; copied into the "
                             "sandbox read-only")
    parser.add_argument("--cases", action="append", default=[], metavar="SELECTOR",
                        help="run only these configurations: [LAYER:]KEY=VALUE[,...], "
                             "e.g. 'Conv2d:stride=1,padding=0' (ops = != < <= > >=); "
                             "repeatable, any one may match")
    add_spec_file(parser)


def add_spec_file(parser: argparse.ArgumentParser) -> None:
    """``--spec-file FILE``: a course layer's spec and reference, loaded as it is read."""
    from harness.specs import CATALOG, plugins

    parser.add_argument("--spec-file", action="append", default=[], metavar="FILE",
                        type=plugins.spec_file_option(CATALOG),
                        help="a Python file defining SPECS (course layers); repeatable")


def add_isolation(parser: argparse.ArgumentParser, default: str) -> None:
    """``--isolation`` and the resource limits of the sandboxed child."""
    from harness.plan import ISOLATION, MIN_MEMORY_MB
    from harness.sandbox.limits import Limits

    defaults = Limits()
    parser.add_argument("--isolation", choices=ISOLATION, default=default,
                        help=f"where submission code runs (default: {default})")
    parser.add_argument("--timeout", type=float, default=defaults.timeout,
                        help="seconds allowed for one layer, > 0 (default: %(default)s)")
    parser.add_argument("--total-timeout", type=float, default=defaults.total_timeout,
                        help="seconds allowed for one submission, > 0 (default: %(default)s)")
    parser.add_argument("--memory-mb", type=int, default=defaults.memory_mb,
                        help=f"address-space limit of the child in MB, at least {MIN_MEMORY_MB} "
                             "(default: %(default)s)")
    parser.add_argument("--hide", action="append", default=[], metavar="PATH",
                        help="a file or directory the submission must not see (hidden data, "
                             "solutions); repeatable. The output directory, a rubric file, "
                             "the reference and the expectations cache are always hidden")


def add_grading(parser: argparse.ArgumentParser, formats: str) -> None:
    """The options ``grade`` and ``batch`` share."""
    from harness.reports import formats as known

    add_selection(parser)
    add_isolation(parser, default="process")
    parser.add_argument("--rubric", default=None,
                        help="rubric TOML file (default: the built-in rubric)")
    parser.add_argument("--format", type=csv_list, default=csv_list(formats),
                        help=f"comma-separated: {','.join(known())} (default: {formats})")
    parser.add_argument("--students", action="store_true",
                        help="leave hidden checks' details out of terminal, HTML, Markdown")


COMMAND_ONLY = ("command", "run", "debug", "json", "impl", "submission", "folder",
                "jobs", "shard", "regrade", "parts")
"""Options a command reads itself; every other option goes into the ``Plan``."""


def plan_of(command: str, args: argparse.Namespace, path: str, target: bool = True):
    """The validated ``Plan`` of a command's parsed options (see ``harness.plan.make``)."""
    from harness import plan

    options = {k: v for k, v in vars(args).items() if k not in COMMAND_ONLY}
    return plan.make(command, {**options, "path": path}, target)
