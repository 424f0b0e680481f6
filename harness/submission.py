"""A loaded submission: the names it defines, and what loading it had to say."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Submission:
    """The namespace of a student's or library's code, ready for an adapter.

    ``notes`` are problems met while loading that did not stop it (a notebook cell
    that failed, a missing optional module); ``error`` is set when nothing usable
    could be loaded at all (a syntax error), and every layer then reports it.
    """

    name: str
    path: str
    namespace: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str = ""
