"""Running untrusted submissions in a confined child process.

``executor(limits)`` is what ``harness.isolation.executor("process", limits)`` returns:
a drop-in for ``harness.execution.execute`` that runs the submission in a child forked
from a pre-warmed zygote, behind namespaces and resource limits, and rebuilds every
outcome in the parent from validated arrays. See README.md, "Untrusted submissions".
"""

from __future__ import annotations

from harness.sandbox.limits import Limits


def executor(limits: Limits):
    """An executor ``(target, jobs) -> Execution`` that runs submissions sandboxed."""
    from harness.sandbox.supervisor import executor as sandboxed

    return sandboxed(limits)


def warm() -> float:
    """Start this process's zygote now; the seconds it took (0 when already running)."""
    from harness.sandbox import launcher

    zygote = launcher.shared()
    before = zygote.start_seconds
    zygote.start()
    return zygote.start_seconds if zygote.start_seconds != before else 0.0


__all__ = ["Limits", "executor", "warm"]
