"""A loaded submission: the names it defines, and what loading it had to say."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NOT_DEFINED = "is not defined in"
"""The words of a layer the submission lacks (``Conv2d is not defined in mylib/``)."""
SHOWN_FAILURES = 3
"""How many parts that failed to load a "not defined" message names before "and N more"."""


@dataclass
class Submission:
    """The namespace of a student's or library's code, ready for an adapter.

    ``notes`` are problems met while loading that did not stop it (a notebook cell
    that failed, a missing optional module); ``error`` is set when nothing usable
    could be loaded at all (a syntax error), and every layer then reports it.
    ``failed`` names each part of the code that did not run (``conv.py failed to
    import: needs module 'scipy'``, ``line 3 failed: raised NameError``): a layer not
    found may have been defined there, so ``undefined`` says so.
    """

    name: str
    path: str
    namespace: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str = ""
    failed: list[str] = field(default_factory=list)

    def undefined(self, layer: str) -> str:
        """Why ``layer`` has no runner: ``Conv2d is not defined in mylib/``, followed by
        what failed to load, if anything did, so nobody hunts for a class that is there."""
        message = f"{layer} {NOT_DEFINED} {self.name}"
        if not self.failed:
            return message
        shown = "; ".join(self.failed[:SHOWN_FAILURES])
        more = len(self.failed) - SHOWN_FAILURES
        return f"{message} ({shown}{f'; and {more} more' if more > 0 else ''})"
