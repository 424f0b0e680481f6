"""One CPU per concurrent submission, so a child that spins slows only its own grading.

In a batch, a fork bomb's spinning processes would otherwise share every core with
the submission graded next to it, whose layers could then time out through no fault
of their own. The parent reserves a free CPU with an ``flock`` on a per-CPU lock file
(shared by every backcheck process on the machine) and the worker pins itself to it.
This is fairness, not a wall: code that resets its own affinity escapes it (a cpuset
cgroup would enforce it; see README.md, "Untrusted submissions"). When every CPU is taken, the child
is not pinned.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

LOCK_DIR = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()


@contextmanager
def reserved() -> Iterator[int | None]:
    """A CPU no other backcheck child is pinned to, held until the block ends."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    start = os.getpid() % len(cpus) if cpus else 0
    for cpu in cpus[start:] + cpus[:start]:
        fd = _try_lock(os.path.join(LOCK_DIR, f"backcheck-cpu-{cpu}.lock"))
        if fd is None:
            continue
        try:
            yield cpu
        finally:
            os.close(fd)
        return
    yield None


def _try_lock(path: str) -> int | None:
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def pin(cpu: int | None) -> None:
    """Run the calling process (and what it forks) on ``cpu`` only."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {cpu})
