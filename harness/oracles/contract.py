"""What an oracle must provide. This module is the whole contract; it holds no logic.

An oracle computes, for one spec and one case, the *expected* forward output and the
gradient of ``<upstream, forward(...)>`` with respect to every name in ``spec.wrt``,
in float64, from the case alone (never from the code under test). Oracles are found
by name in the ``backcheck.oracles`` entry-point group; a new framework (JAX, say) is
one module with a class like the ones below and one line in ``pyproject.toml``.
"""

from __future__ import annotations

from typing import Protocol

from harness.case import Case
from harness.outcome import Outcome
from harness.spec import Spec


class Oracle(Protocol):
    """A source of expected values."""

    name: str
    """Short name used on the command line and in test ids (``fd``, ``torch``)."""

    def unavailable(self) -> str | None:
        """Why this oracle cannot run here (framework not installed), or ``None``.

        Must be cheap and must not import the framework when it is missing.
        """

    def version(self) -> str:
        """The framework's version: part of the cache key of expected values.

        Read from package metadata (``importlib.metadata``), never by importing the
        framework, so that a run with a warm cache imports none.
        """

    def supports(self, spec: Spec) -> bool:
        """Whether this oracle knows how to compute ``spec``."""

    def evaluate(self, spec: Spec, case: Case) -> Outcome:
        """Expected output and float64 gradients for every name in ``spec.wrt``."""
