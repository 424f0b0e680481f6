"""The ``backcheck`` command: subcommands are modules in ``harness.commands``.

Every error a user can cause is a ``BackcheckError`` and prints as one line with a
documented exit code (see ``harness.errors``); ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys

from harness import native_log
from harness.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, BackcheckError

COMMANDS = ("check", "grade", "batch", "merge", "repro")


def parser() -> argparse.ArgumentParser:
    """The full argument parser, each subcommand adding its own options."""
    top = argparse.ArgumentParser(prog="backcheck", description=__doc__.splitlines()[0])
    top.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = _command(name)
        if module is not None:
            module.register(sub)
    return top


def _command(name: str):
    try:
        return importlib.import_module(f"harness.commands.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"harness.commands.{name}":
            return None
        raise


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    native_log.install()
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BackcheckError as exc:
        if args.debug:
            raise
        print(f"backcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("backcheck: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if args.debug:
            raise
        print(f"backcheck: internal error: {type(exc).__name__}: {exc} "
              "(this is a bug in backcheck; rerun with --debug for the traceback)",
              file=sys.stderr)
        return EXIT_INTERNAL


def entry() -> None:
    """Console-script entry point.

    Everything is written when ``main`` returns, so the interpreter's last collection
    of every object is skipped (``gc.freeze``): it costs about a second on a loaded
    machine, which an interrupted batch must not spend before it exits.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


__all__ = ["EXIT_USAGE", "main", "parser"]
