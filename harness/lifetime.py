"""Processes that must not outlive the one that started them.

A grader killed with ``kill -9`` runs no cleanup, so the processes it started (batch
workers, the sandbox's monitors) must learn of its death from the kernel:
``PR_SET_PDEATHSIG`` sends them a signal the moment their parent dies. Linux only;
elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int, parent: int) -> None:
    """Get ``sig`` when the process ``parent`` (our parent) dies, or now if it is gone.

    Call it first thing after ``fork``, in a process whose parent is single-threaded
    or forked it from a thread that lives as long as the parent: the kernel signals
    on the death of the forking *thread*.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
    if os.getppid() != parent:
        os.kill(os.getpid(), sig)


def alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (what a stale file's embedded pid is checked by)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def owner_gone(name: str, prefix: str) -> bool:
    """Whether ``name`` is ``<prefix><pid>-...`` and process ``pid`` no longer exists."""
    if not name.startswith(prefix):
        return False
    pid = name[len(prefix):].partition("-")[0]
    return pid.isdigit() and not alive(int(pid))
