"""A seccomp filter: no new user namespaces, no memory files, inside the sandbox.

A user namespace would make ``nobody`` root of a new mount namespace, from where it
could try to unmount or look under the covers that hide the reference;
``memfd_create`` makes files in memory that no rlimit counts. The monitor installs
this filter before it forks the worker, so both inherit it and neither can drop it:
``unshare`` and ``clone`` fail with ``EPERM`` when asked for ``CLONE_NEWUSER``,
``clone3`` (whose flags a filter cannot read) fails with ``ENOSYS`` so the C library
falls back to ``clone``, ``memfd_create`` fails with ``EPERM``, and a system call of
another ABI (32-bit ``int 0x80``, x32) kills the process. Everything else is allowed.
"""

from __future__ import annotations

import ctypes
import errno
import platform
from typing import Protocol

CLONE_NEWUSER = 0x10000000
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
RET_ALLOW = 0x7FFF0000
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000
X32_BIT = 0x40000000

# Classic BPF opcodes.
LD_ABS_W = 0x20
JEQ = 0x15
JGE = 0x35
JSET = 0x45
RET = 0x06

ARCHES = {
    # machine: (AUDIT_ARCH, unshare, clone, clone3, memfd_create, has x32 numbers)
    "x86_64": (0xC000003E, 272, 56, 435, 319, True),
    "aarch64": (0xC00000B7, 97, 220, 435, 279, False),
}
_NR, _ARCH, _ARG0 = 0, 4, 16


class Record(Protocol):
    """What ``forbid`` reports to (``confinement.Walls``)."""

    enforced: list[str]
    missing: list[str]


def program(machine: str) -> list[tuple[int, int, int, int]]:
    """The filter for ``machine`` as (code, jt, jf, k) instructions."""
    arch, unshare, clone, clone3, memfd, x32 = ARCHES[machine]
    eperm, enosys = RET_ERRNO | errno.EPERM, RET_ERRNO | errno.ENOSYS
    tail = [
        (RET, 0, 0, RET_ALLOW),                     # -5
        (LD_ABS_W, 0, 0, _ARG0),                    # -4: flags (low 32 bits)
        (JSET, 1, 0, CLONE_NEWUSER),                # -3
        (RET, 0, 0, RET_ALLOW),                     # -2
        (RET, 0, 0, eperm),                         # -1
    ]
    checks = [(clone3, enosys), (memfd, eperm), (unshare, None), (clone, None)]
    head = [(LD_ABS_W, 0, 0, _ARCH), None, (LD_ABS_W, 0, 0, _NR)]
    if x32:
        head.append(None)
    body = [None] * len(checks)
    returns = sorted({r for _, r in checks if r is not None})
    size = len(head) + len(body) + len(tail) + len(returns) + 1

    def to(index: int, at: int) -> int:
        return index - at - 1

    kill = size - 1
    ret_at = {r: len(head) + len(body) + len(tail) + i for i, r in enumerate(returns)}
    flags_at = len(head) + len(body) + 1
    head[1] = (JEQ, 0, to(kill, 1), arch)
    if x32:
        head[3] = (JGE, to(ret_at[eperm], 3), 0, X32_BIT)
    for i, (number, result) in enumerate(checks):
        at = len(head) + i
        target = ret_at[result] if result is not None else flags_at
        body[i] = (JEQ, to(target, at), 0, number)
    return [*head, *body, *tail, *((RET, 0, 0, r) for r in returns), (RET, 0, 0, RET_KILL_PROCESS)]


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def forbid(walls: Record) -> None:
    """Install the filter in this process (and so in everything it forks)."""
    machine = platform.machine()
    if machine not in ARCHES:
        walls.missing.append(f"user namespaces and memfd allowed (no seccomp filter for "
                             f"{machine})")
        return
    instructions = program(machine)
    array = (_Filter * len(instructions))(*(_Filter(*i) for i in instructions))
    prog = _Program(len(instructions), array)
    libc = ctypes.CDLL(None, use_errno=True)
    ulong = ctypes.c_ulong
    done = libc.prctl(PR_SET_NO_NEW_PRIVS, ulong(1), ulong(0), ulong(0), ulong(0)) == 0 \
        and libc.prctl(PR_SET_SECCOMP, ulong(SECCOMP_MODE_FILTER), ctypes.byref(prog),
                       ulong(0), ulong(0)) == 0
    if not done:
        reason = errno.errorcode.get(ctypes.get_errno(), "error")
        walls.missing.append(f"user namespaces and memfd allowed (seccomp refused: {reason})")
        return
    walls.enforced.append("no user namespaces, no memfd (seccomp)")

