"""The seccomp filter: no user namespace, no memfd; forks and threads still work."""

from __future__ import annotations

import ctypes
import os
import platform
import threading

import pytest

from harness.sandbox import confinement, seccomp

pytestmark = pytest.mark.skipif(platform.machine() not in seccomp.ARCHES or not hasattr(os, "fork"),
                                reason="no filter for this machine")


def _in_filtered_child() -> int:
    """Exit status bits of a forked child under the filter: 1 user namespace refused,
    2 memfd refused, 4 a fork worked, 8 a thread worked."""
    pid = os.fork()
    if pid == 0:
        walls = confinement.Walls()
        seccomp.forbid(walls)
        libc = ctypes.CDLL(None, use_errno=True)
        code = 1 if libc.unshare(seccomp.CLONE_NEWUSER) != 0 else 0
        try:
            os.close(os.memfd_create("x"))
        except OSError:
            code |= 2
        inner = os.fork()
        if inner == 0:
            os._exit(0)
        code |= 4 if os.waitpid(inner, 0)[1] == 0 else 0
        ran = []
        thread = threading.Thread(target=ran.append, args=(1,))
        thread.start()
        thread.join()
        os._exit(code | (8 if ran and walls.missing == [] else 0))
    return os.WEXITSTATUS(os.waitpid(pid, 0)[1])


def test_the_filter_refuses_user_namespaces_and_memfd_but_not_forks_or_threads():
    assert _in_filtered_child() == 1 | 2 | 4 | 8


def test_every_jump_lands_inside_the_program():
    for machine in seccomp.ARCHES:
        program = seccomp.program(machine)
        for at, (code, jt, jf, _) in enumerate(program):
            if code in (seccomp.JEQ, seccomp.JGE, seccomp.JSET):
                assert at + 1 + max(jt, jf) < len(program)
        assert program[-1] == (seccomp.RET, 0, 0, seccomp.RET_KILL_PROCESS)
