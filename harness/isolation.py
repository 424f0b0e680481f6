"""Choosing where the code under test runs: in this process, or in a sandboxed child.

``none`` is for students checking their own work (fast, no protection); ``process``
runs the submission in a separate, resource-limited process and is the default of
``grade`` and ``batch``. Both give an ``Executor``: (target, jobs) -> Execution.
"""

from __future__ import annotations

from harness.execution import execute
from harness.sandbox.limits import Limits

LEVELS = ("none", "process")


def executor(level: str, limits: Limits | None = None):
    """The executor for an isolation level."""
    if level == "none":
        return execute
    from harness import sandbox

    return sandbox.executor(limits or Limits())
