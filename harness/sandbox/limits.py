"""Resource limits for one submission's sandboxed child.

One dataclass, read by the commands (from ``--timeout``, ``--memory-mb``...), by the
supervisor (clocks) and by the child (rlimits, mounts). It lives in ``sandbox/`` so the
sandbox never imports the module that chooses between isolation levels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission's child process (see ``harness.sandbox``)."""

    timeout: float = 10.0
    """Wall-clock seconds for one layer's checks."""
    total_timeout: float = 120.0
    """Wall-clock seconds for the whole submission."""
    cpu_seconds: int = 60
    """CPU seconds for one child (``RLIMIT_CPU``)."""
    memory_mb: int = 2048
    """Address space of one child (``RLIMIT_AS``)."""
    processes: int = 64
    """Processes and threads of the sandbox user (``RLIMIT_NPROC``, counted per uid)."""
    file_mb: int = 64
    """Largest file the child may write (``RLIMIT_FSIZE``)."""
    output_bytes: int = 64_000
    """Captured stdout and stderr kept per submission; the rest is counted, not kept."""
    network: bool = False
    """Allow network access (otherwise the child gets an empty network namespace)."""
    hidden: tuple[str, ...] = ()
    """Extra files and directories the child must not see: output directory, rubric,
    hidden data, expectations cache. The reference package is always hidden."""
