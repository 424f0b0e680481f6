"""Errors backcheck raises on purpose, each with an exit code the CLI documents.

Every error a user can cause (a bad path, a corrupt notebook, a rubric typo) is a
``BackcheckError``; the CLI prints its one-line message and exits with its code.
Anything else escaping is a bug in backcheck and exits with ``EXIT_INTERNAL``.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_CHECKS_FAILED = 1
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3
EXIT_HARNESS = 4
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70


class BackcheckWarning(UserWarning):
    """A warning raised by backcheck itself (the test suite turns these into errors)."""


class BackcheckError(Exception):
    """A problem with the user's input, reported as one line: what, where, what to do."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, what: str, where: str | None = None, hint: str | None = None):
        super().__init__(what)
        self.what = what
        self.where = where
        self.hint = hint

    def __reduce__(self):
        """Pickle with every field, so an error raised in a batch worker arrives whole."""
        return type(self), (self.what, self.where, self.hint)

    def __str__(self) -> str:
        parts = [f"{self.where}: {self.what}" if self.where else self.what]
        if self.hint:
            parts.append(self.hint)
        return "; ".join(parts)


class UsageError(BackcheckError):
    """The command line itself is wrong (unknown layer, bad option value)."""

    exit_code = EXIT_USAGE


class HarnessError(BackcheckError):
    """backcheck cannot judge: an oracle is broken or two oracles disagree."""

    exit_code = EXIT_HARNESS
