"""Options shared by the subcommands that check an implementation."""

from __future__ import annotations

import argparse
import os

from harness.case import DTYPES


def csv_list(value: str) -> list[str]:
    """``"a,b"`` -> ``["a", "b"]`` (argparse type)."""
    return [item.strip() for item in value.split(",") if item.strip()]


def add_selection(parser: argparse.ArgumentParser) -> None:
    """``--layers``, ``--dtype``, ``--oracles``, ``--adapter``, ``--adapter-file``."""
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
    add_spec_file(parser)


def add_spec_file(parser: argparse.ArgumentParser) -> None:
    """``--spec-file FILE``: a course layer's spec and reference, loaded as it is read."""
    from harness.specs import CATALOG, plugins

    parser.add_argument("--spec-file", action="append", default=[], metavar="FILE",
                        type=plugins.spec_file_option(CATALOG),
                        help="a Python file defining SPECS (course layers); repeatable")


def dtypes(args: argparse.Namespace) -> list[str]:
    """The dtypes selected by ``--dtype``."""
    return list(DTYPES) if args.dtype == "all" else [args.dtype]


def add_isolation(parser: argparse.ArgumentParser, default: str) -> None:
    """``--isolation`` and the resource limits of the sandboxed child."""
    from harness.isolation import LEVELS
    from harness.sandbox.limits import Limits

    defaults = Limits()
    parser.add_argument("--isolation", choices=LEVELS, default=default,
                        help=f"where submission code runs (default: {default})")
    parser.add_argument("--timeout", type=float, default=defaults.timeout,
                        help="seconds allowed for one layer (default: %(default)s)")
    parser.add_argument("--total-timeout", type=float, default=defaults.total_timeout,
                        help="seconds allowed for one submission (default: %(default)s)")
    parser.add_argument("--memory-mb", type=int, default=defaults.memory_mb,
                        help="address-space limit of the child (default: %(default)s)")
    parser.add_argument("--hide", action="append", default=[], metavar="PATH",
                        help="a file or directory the submission must not see (hidden data, "
                             "solutions); repeatable. The output directory, a rubric file, "
                             "the reference and the expectations cache are always hidden")


def limits(args: argparse.Namespace):
    """The ``Limits`` given on the command line."""
    from harness.sandbox.limits import Limits

    return Limits(timeout=args.timeout, total_timeout=args.total_timeout,
                  memory_mb=args.memory_mb, hidden=hidden_paths(args))


def hidden_paths(args: argparse.Namespace) -> tuple[str, ...]:
    """``--hide`` paths, the output directory, a batch's folder of submissions (each
    child sees only its own copy), the rubric file (when it is a file) and course
    spec files (they hold the instructor's reference)."""
    out, rubric = getattr(args, "out", None), getattr(args, "rubric", None)
    folder = getattr(args, "folder", None)
    paths = [*getattr(args, "hide", []), *(p for p in (out, folder) if p)]
    paths += [rubric] if rubric and os.path.isfile(str(rubric)) else []
    paths += getattr(args, "spec_file", [])
    return tuple(str(p) for p in paths)
