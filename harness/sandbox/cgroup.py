"""A memory cgroup (v2) per child: the real memory of all its processes, capped.

``RLIMIT_AS`` limits each process's address space, but a submission may start up to
``Limits.processes`` of them. Where the machine delegates the cgroup v2 memory
controller to backcheck, the monitor makes one cgroup per child beside its own
(``memory.max`` = ``Limits.memory_mb``, no swap), the worker joins it before it drops
root, and the monitor removes it when the worker has ended. That works when backcheck
runs in the root cgroup or in a cgroup whose parent enables ``memory`` for its
children (a systemd service); in a container whose root cgroup holds processes it
cannot (the kernel forbids controllers there), and the report says so.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time

CONTROLLER = "memory"
_serial = itertools.count()


def hierarchy(mountinfo: str = "/proc/self/mountinfo") -> str | None:
    """Where the cgroup v2 hierarchy is mounted, if it is."""
    with contextlib.suppress(OSError), open(mountinfo) as info:
        for line in info:
            fields, _, tail = line.partition(" - ")
            if tail.split()[:1] == ["cgroup2"]:
                return fields.split()[4]
    return None


def own(mount: str, membership: str = "/proc/self/cgroup") -> str | None:
    """This process's cgroup v2 directory under ``mount``."""
    with contextlib.suppress(OSError), open(membership) as groups:
        for line in groups:
            if line.startswith("0::"):
                return os.path.normpath(os.path.join(mount, line[3:].strip().lstrip("/")))
    return None


def _enables(folder: str, name: str) -> bool:
    """Whether the controller list file ``name`` of ``folder`` names the memory one."""
    with contextlib.suppress(OSError), open(os.path.join(folder, name)) as listed:
        return CONTROLLER in listed.read().split()
    return False


def parent(mount: str | None, mine: str | None) -> str | None:
    """The cgroup in which children with a memory limit can be made, or ``None``.

    The root cgroup may enable controllers while it holds processes; any other cgroup
    may not, so from elsewhere children are made beside this process's cgroup, when
    its parent gives it the memory controller.
    """
    if mount is None or mine is None:
        return None
    if mine == os.path.normpath(mount) and _enables(mine, "cgroup.subtree_control"):
        return mine
    above = os.path.dirname(mine)
    if mine != os.path.normpath(mount) and _enables(mine, "cgroup.controllers") \
            and _enables(above, "cgroup.subtree_control"):
        return above
    return None


def create(memory_mb: int, base: str | None = None) -> tuple[str | None, str]:
    """A fresh cgroup capped at ``memory_mb`` of real memory, and "" (or ``None`` and
    why there is none)."""
    mount = hierarchy()
    base = base or parent(mount, own(mount) if mount else None)
    if base is None:
        return None, ("real memory not capped (no cgroup v2 memory controller delegated "
                      "here: each process still has its address-space limit)")
    path = os.path.join(base, f"backcheck-{os.getpid()}-{next(_serial)}")
    try:
        os.mkdir(path, 0o755)
        _write(path, "memory.max", str(memory_mb * 2**20))
        with contextlib.suppress(OSError):
            _write(path, "memory.swap.max", "0")
    except OSError as exc:
        release(path)
        return None, f"real memory not capped (memory cgroup refused: {exc.strerror})"
    return path, ""


def join(path: str) -> None:
    """Move the calling process into the cgroup ``path`` (its children follow)."""
    _write(path, "cgroup.procs", "0")


def release(path: str | None, wait: float = 1.0) -> None:
    """Remove the cgroup once its last process has gone (the kernel may lag a little)."""
    deadline = time.monotonic() + wait
    while path is not None:
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)


def _write(folder: str, name: str, value: str) -> None:
    with open(os.path.join(folder, name), "w") as control:
        control.write(value)
