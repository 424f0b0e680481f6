"""What an adapter must provide. This module is the whole contract; it holds no logic.

An adapter turns a loaded submission (a namespace of names to objects) into runners,
one per layer of the catalog it can find. A runner takes a ``Case`` in backcheck's
conventions (batch-first, ``W`` as (in, out), NCHW) and returns an ``Outcome`` in the
same conventions: all layout, naming and scaling differences of the submission are
undone inside the adapter. Adapters are found by name in the ``backcheck.adapters``
entry-point group, or loaded from a local file given with ``--adapter-file``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from harness.case import Case
from harness.outcome import Outcome
from harness.spec import Spec

Runner = Callable[[Case], Outcome]


@dataclass(frozen=True)
class Detection:
    """How well an adapter recognizes a submission: the layers it found and why."""

    adapter: str
    layers: tuple[str, ...]
    evidence: str


class Adapter(Protocol):
    """Maps one convention of writing layers onto backcheck's."""

    name: str
    """Short name for ``--adapter`` (``native``, ``cs231n``)."""

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        """Which catalog layers this adapter would find in ``namespace``, with evidence."""

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        """A runner for ``spec``, or ``None`` when the submission does not define it."""


Translate = Callable[[str], str]
"""Optional, an adapter file's ``ADAPTER.translate(source) -> source``: the submission's
Python source (a file's, each notebook cell's) before it is compiled, for code that
would not load as written (Python 2). Set it with ``api.declare``."""
