"""Options shared by the subcommands that check an implementation."""

from __future__ import annotations

import argparse

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


def dtypes(args: argparse.Namespace) -> list[str]:
    """The dtypes selected by ``--dtype``."""
    return list(DTYPES) if args.dtype == "all" else [args.dtype]
