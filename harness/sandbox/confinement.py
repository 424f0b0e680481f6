"""The walls around a child: namespaces, hidden paths, resource limits, no privileges.

As root (here and in CI) the monitor enters new mount, PID, IPC and network
namespaces, makes every mount private and read-only, caps System V shared memory,
gives the child private scratch space, and covers each hidden path with an empty
read-only tmpfs (a hidden package gets an ``__init__`` that refuses to import; a
hidden directory that holds Python's libraries keeps only those, bound back
read-only). The monitor then installs ``seccomp``'s filter (no user namespaces, no
``memfd_create``) and forks the worker, PID 1
of its own namespace, so killing it kills every process it started; it sets its
resource limits and becomes a uid of its own in group ``nobody`` (``UID_BASE``; no
other groups, no new privileges), so it can undo none of this. Without root, or where namespaces are
refused, only the limits, the filter and a session of its own are in force, and
``Walls.missing`` says so.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.abc
import os
import re
import resource
import shutil
import signal
import sys
from dataclasses import dataclass, field

from harness.sandbox import cgroup
from harness.sandbox.limits import Limits

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_NOATIME = 0x400
MS_NODIRATIME = 0x800
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MS_RELATIME = 0x200000
MS_STRICTATIME = 0x1000000
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
NOBODY = 65534
UID_BASE = 0x40000000
"""Each sandbox runs as its own uid, ``UID_BASE`` plus its monitor's process id (unique
among live processes), in group ``nobody``: ``RLIMIT_NPROC`` counts processes per uid, so
a fork bomb in one submission cannot starve another one running beside it."""
_SEALED = MS_NOSUID | MS_NODEV | MS_NOEXEC
_REFUSE = "raise ImportError('this package is hidden from submissions by backcheck')\n"
MODULES = ("reference", "harness.specs", "harness.oracles", "harness.expectations",
           "harness.cache")
"""Modules the child refuses to import wherever they are (``sandbox.secrets.MODULES``)."""
KERNEL_FILESYSTEMS = frozenset({
    "proc", "sysfs", "cgroup", "cgroup2", "devpts", "securityfs", "debugfs", "tracefs",
    "bpf", "pstore", "configfs", "fusectl", "binfmt_misc", "efivarfs"})
"""Mounts whose permissions the kernel enforces (nothing in them is writable by
``nobody``): left as they are, so the monitor can still read its cgroup and /proc."""
_MOUNT_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC,
                "noatime": MS_NOATIME, "nodiratime": MS_NODIRATIME,
                "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME}

_libc = ctypes.CDLL(None, use_errno=True)


@dataclass
class Walls:
    """What the monitor managed to put in place, and what it could not."""

    enforced: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    pid_namespace: bool = False
    hidden_modules: tuple[str, ...] = ()
    hidden_paths: tuple[str, ...] = ()
    cgroup: str | None = None
    """The child's memory cgroup, which the worker joins (``None``: there is none)."""
    uid: int = NOBODY
    """The uid the worker becomes (see ``UID_BASE``)."""


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def mount(source: str | None, target: str, fstype: str | None, flags: int,
          data: str | None = None) -> None:
    """mount(2), raising ``OSError`` on failure."""
    args = [s.encode() if s is not None else None for s in (source, target, fstype, data)]
    _check(_libc.mount(args[0], args[1], args[2], ctypes.c_ulong(flags), args[3]),
           f"mount {target}")


SCRATCH = ("/tmp", "/var/tmp", "/dev/shm")


def build(hidden: tuple[str, ...], network: bool, workdir: str, scratch_mb: int = 64,
          memory_mb: int | None = None) -> Walls:
    """Enter new namespaces and hide ``hidden`` (in the monitor, before it forks).

    ``/tmp``, ``/var/tmp`` and ``/dev/shm`` become empty private tmpfs of
    ``scratch_mb`` each (``workdir`` recreated inside), so nothing another process left
    or will leave there is visible, and nothing written there outlives the child.
    With ``memory_mb``, a memory cgroup caps the real memory of the whole child.
    """
    names = dict.fromkeys((*MODULES, *_package_names(hidden)))
    walls = Walls(hidden_modules=tuple(names), hidden_paths=hidden)
    if os.geteuid() != 0:
        walls.missing.append("not root: no namespaces, so the child can read every file "
                             "this user can (reference, output) and use the network")
        return walls
    walls.uid = UID_BASE + os.getpid()
    walls.enforced.append(f"runs as its own uid {walls.uid} in group nobody")
    flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | (0 if network else CLONE_NEWNET)
    try:
        if not hasattr(_libc, "unshare"):
            raise OSError(0, "unshare(2) does not exist on this platform")
        _check(_libc.unshare(flags), "unshare")
        mount(None, "/", None, MS_REC | MS_PRIVATE)
    except OSError as exc:
        walls.missing.append(f"namespaces refused ({exc}): hidden paths readable, "
                             "network reachable")
        return walls
    walls.pid_namespace = True
    walls.enforced.append("own PID and IPC namespaces")
    walls.enforced.append("network allowed" if network else "no network")
    _read_only_host(walls)
    _cap_shared_memory(scratch_mb, walls)
    if memory_mb is not None:
        _cap_memory(memory_mb, walls)
    libraries = _library_paths()
    _reopen(libraries + toolchain_paths(), walls)
    _private_scratch(workdir, scratch_mb, libraries, walls)
    for path in sorted(hidden, key=len):
        _hide(path, libraries, walls)
    return walls


def _read_only_host(walls: Walls) -> None:
    """Every mount of the host read-only in this namespace: no world-writable host
    directory (``/run/lock``, ``/var/tmp``, ``/dev/mqueue``) can fill the disk or carry
    a message to a later submission. Scratch space is mounted afresh afterwards."""
    failed = []
    for target, fstype, options in _mounts():
        if fstype in KERNEL_FILESYSTEMS:
            continue
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        flags |= sum(_MOUNT_FLAGS.get(o, 0) for o in options)
        try:
            mount(None, target, None, flags)
        except OSError as exc:
            failed.append(f"{target} ({exc.strerror})")
    if failed:
        walls.missing.append("host directories may be writable: could not make "
                             + ", ".join(failed[:5]) + " read-only")
    else:
        walls.enforced.append("host file systems read-only")


def _cap_memory(memory_mb: int, walls: Walls) -> None:
    walls.cgroup, why = cgroup.create(memory_mb)
    if walls.cgroup is None:
        walls.missing.append(why)
    else:
        walls.enforced.append(f"real memory capped at {memory_mb} MB (cgroup)")


def release(walls: Walls) -> None:
    """Undo what outlives the worker (its cgroup); the namespaces go with it."""
    cgroup.release(walls.cgroup)


def _mounts() -> list[tuple[str, str, list[str]]]:
    """(mount point, file system type, per-mount options) of this namespace's mounts."""
    with open("/proc/self/mountinfo") as info:
        lines = info.read().splitlines()
    mounts = []
    for line in lines:
        fields, _, tail = line.partition(" - ")
        parts = fields.split()
        if len(parts) < 6 or not tail:
            continue
        target = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), parts[4])
        mounts.append((target, tail.split()[0], parts[5].split(",")))
    return mounts


def _cap_shared_memory(size_mb: int, walls: Walls) -> None:
    """System V shared memory is not counted by ``RLIMIT_AS`` until attached, and a
    segment outlives its process: in the child's own IPC namespace (gone with it) the
    total is capped at ``size_mb``, like each scratch tmpfs."""
    size = size_mb * 2**20
    caps = {"shmmax": size, "shmall": size // os.sysconf("SC_PAGE_SIZE"), "shmmni": 64}
    try:
        for name, value in caps.items():
            with open(f"/proc/sys/kernel/{name}", "w") as sysctl:
                sysctl.write(str(value))
    except OSError as exc:
        walls.missing.append(f"System V shared memory not capped ({exc.strerror})")
        return
    walls.enforced.append(f"System V shared memory capped at {size_mb} MB")


def _private_scratch(workdir: str, size_mb: int, libraries: list[str], walls: Walls) -> None:
    """Fresh tmpfs scratch space; the working directory becomes a writable tmpfs
    directory of the sandbox user, with only the staged copies bound back read-only
    (so what the child writes is capped in size and gone when it ends). Python's
    libraries under scratch space (a virtualenv or a clone in ``/tmp``) are bound back
    read-only too: hiding them would fail the student for the grader's set-up."""
    for scratch in (s for s in SCRATCH if os.path.isdir(s)):
        inside = workdir.startswith(scratch + "/")
        handles: dict[str, tuple[int, bool]] = {}
        kept = _outermost([p for p in libraries if p.startswith(scratch + "/")])
        shelves = {}
        try:
            for name in os.listdir(workdir) if inside else []:
                path = os.path.join(workdir, name)
                handles[path] = (os.open(path, os.O_PATH), os.path.isdir(path))
            shelves = {p: os.open(p, os.O_PATH) for p in kept}
            mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV,
                  f"size={size_mb}m,mode=1777")
            if inside:
                _own_workdir(workdir, handles)
            for path, fd in shelves.items():
                _bind_back(path, fd)
        except OSError as exc:
            walls.missing.append(f"shared {scratch} visible ({exc})")
            continue
        finally:
            for fd in [*(fd for fd, _ in handles.values()), *shelves.values()]:
                os.close(fd)
        walls.enforced.append(f"private {scratch} ({size_mb} MB)")


def _own_workdir(workdir: str, handles: dict[str, tuple[int, bool]]) -> None:
    os.makedirs(workdir, mode=0o700)
    os.chown(workdir, NOBODY, NOBODY)
    for path, (fd, folder) in handles.items():
        if folder:
            os.makedirs(path, mode=0o755)
        else:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
        mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY)


def _library_paths() -> list[str]:
    """The directories Python imports from, and the ``harness`` package itself.

    Other directories in scratch space (a submission loaded in-process earlier put it
    on ``sys.path``) are left out: the private scratch hides them, as it should.
    """
    paths = {os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)}
    paths.add(_harness_dir())
    return sorted(p for p in paths
                  if installed(p) or not any(p.startswith(s + "/") for s in SCRATCH))


def _harness_dir() -> str:
    return os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def installed(path: str) -> bool:
    """Whether ``path`` is part of a Python installation (its standard library, a
    ``site-packages``) or the ``harness`` package: what a child may need to import."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    parts = path.split(os.sep)
    return (path == _harness_dir() or "site-packages" in parts or "dist-packages" in parts
            or _under(path, tuple(os.path.realpath(p) for p in prefixes if p != "/")))


def _outermost(paths: list[str]) -> list[str]:
    """``paths`` without those inside another one of them."""
    return [p for p in paths if not any(p.startswith(q + "/") for q in paths)]


def _bind_back(path: str, fd: int) -> None:
    """Recreate the directory ``path`` and bind the one open as ``fd`` on it, read-only."""
    os.makedirs(path, mode=0o755, exist_ok=True)
    mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
    mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY)


TOOLCHAINS = ("cargo", "rustc", "node", "g++", "gcc", "c++", "cc")
"""Compilers and runtimes that programs speaking backcheck-protocol build or run with."""


def toolchain_paths() -> list[str]:
    """The directories of the toolchains on ``PATH`` (and a rustup home), to bind back
    read-only like Python's libraries: ``cargo`` under ``/root/.cargo`` is otherwise
    hidden with the rest of a private home."""
    paths = [os.path.dirname(os.path.realpath(found)) for found in
             filter(None, (shutil.which(tool) for tool in TOOLCHAINS))]
    rustup = toolchain_env().get("RUSTUP_HOME")
    return sorted({p for p in [*paths, rustup] if p and os.path.isdir(p)})


def toolchain_env() -> dict[str, str]:
    """``RUSTUP_HOME`` for rustup's ``cargo`` proxy, which would look in the sandbox's
    ``HOME``: the one in the environment, or ``.rustup`` beside cargo's ``.cargo``."""
    if os.environ.get("RUSTUP_HOME"):
        return {"RUSTUP_HOME": os.environ["RUSTUP_HOME"]}
    cargo = shutil.which("cargo")
    if cargo is None:
        return {}
    home = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(cargo))), ".rustup")
    return {"RUSTUP_HOME": home} if os.path.isdir(home) else {}


def reopen_plan(paths: list[str]) -> dict[str, list[str]]:
    """Private directory -> the library directories under it to bind back, outermost
    private directories first and no library inside another of the same group.

    A library nested in a public one is kept when a private directory lies between
    them (tox's 0700 ``.tox`` inside a project that is itself on ``sys.path``).
    """
    groups: dict[str, list[str]] = {}
    for path in paths:
        ancestor = _private_ancestor(path)
        if ancestor:
            groups.setdefault(ancestor, []).append(path)
    return {a: _outermost(group)
            for a, group in sorted(groups.items(), key=lambda item: len(item[0]))}


def _private_ancestor(path: str) -> str | None:
    """The outermost directory above ``path`` that other users may not enter."""
    parts = path.strip("/").split("/")
    for depth in range(1, len(parts)):
        ancestor = "/" + "/".join(parts[:depth])
        if not os.stat(ancestor).st_mode & 0o001:
            return ancestor
    return None


def _reopen(paths: list[str], walls: Walls) -> None:
    """Let ``nobody`` reach libraries under a private directory (pyenv in /root).

    The private directory is covered with an empty tmpfs into which only the library
    directories are bind-mounted back, read-only: the rest of it stays out of sight.
    """
    for ancestor, inside in reopen_plan(paths).items():
        handles = {p: os.open(p, os.O_PATH) for p in inside}
        try:
            mount("tmpfs", ancestor, "tmpfs", _SEALED, "size=64k,mode=755")
            for path, fd in handles.items():
                _bind_back(path, fd)
        except OSError as exc:
            walls.missing.append(f"could not open libraries under {ancestor} ({exc})")
            continue
        finally:
            for fd in handles.values():
                os.close(fd)
        walls.enforced.append(f"only Python's libraries visible in {ancestor}")


def _package_names(hidden: tuple[str, ...]) -> list[str]:
    """Top-level packages among ``hidden`` (a subpackage's basename is not its name)."""
    return [os.path.basename(p.rstrip("/")) for p in hidden
            if os.path.isfile(os.path.join(p, "__init__.py"))
            and not os.path.isfile(os.path.join(os.path.dirname(p.rstrip("/")), "__init__.py"))]


def _hide(path: str, libraries: list[str], walls: Walls) -> None:
    """Cover ``path``; a directory holding Python's libraries keeps only those."""
    kept = _outermost([p for p in libraries if p.startswith(path.rstrip("/") + "/")
                       and installed(p)])
    if kept and os.path.isdir(path):
        _cover(path, kept, walls)
        return
    try:
        if os.path.isdir(path):
            package = os.path.isfile(os.path.join(path, "__init__.py"))
            mount("tmpfs", path, "tmpfs", _SEALED, "size=64k,mode=755")
            if package:
                with open(os.path.join(path, "__init__.py"), "w") as init:
                    init.write(_REFUSE)
            mount(None, path, None, MS_REMOUNT | MS_RDONLY | _SEALED)
        elif os.path.exists(path):
            mount("/dev/null", path, None, MS_BIND)
            mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _SEALED)
        else:
            return
    except OSError as exc:
        walls.missing.append(f"could not hide {path} ({exc})")
        return
    walls.enforced.append(f"hidden {path}")


def _cover(folder: str, kept: list[str], walls: Walls) -> None:
    """An empty read-only tmpfs over ``folder`` with only ``kept`` bound back."""
    handles = {}
    try:
        handles = {p: os.open(p, os.O_PATH) for p in kept}
        mount("tmpfs", folder, "tmpfs", _SEALED, "size=64k,mode=755")
        for path, fd in handles.items():
            _bind_back(path, fd)
        mount(None, folder, None, MS_REMOUNT | MS_RDONLY | _SEALED)
    except OSError as exc:
        walls.missing.append(f"could not hide {folder} ({exc})")
        return
    finally:
        for fd in handles.values():
            os.close(fd)
    walls.enforced.append(f"hidden {folder} (but Python's libraries in it)")


def enter(limits: Limits, workdir: str, walls: Walls) -> None:
    """Confine the calling worker for good (it runs the code under test next)."""
    os.setsid()
    if walls.pid_namespace:
        _own_proc(walls)
    _set_limits(limits)
    os.chdir(workdir)
    os.environ.update(HOME=workdir, TMPDIR=workdir, **toolchain_env())
    if walls.cgroup is not None:
        cgroup.join(walls.cgroup)
    if os.geteuid() == 0:
        with contextlib.suppress(OSError):
            os.chown(workdir, walls.uid, NOBODY)
        os.environ.update(USER="nobody", LOGNAME="nobody")
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(walls.uid)
    if hasattr(_libc, "prctl"):
        _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    _block_imports(walls.hidden_modules, walls.hidden_paths)


def _own_proc(walls: Walls) -> None:
    """A /proc that shows only the sandbox's own processes."""
    try:
        mount("proc", "/proc", "proc", _SEALED)
    except OSError as exc:
        walls.missing.append(f"host /proc visible ({exc})")


def _set_limits(limits: Limits) -> None:
    mb = 2**20
    table = {
        resource.RLIMIT_CPU: (limits.cpu_seconds, limits.cpu_seconds + 1),
        resource.RLIMIT_AS: (limits.memory_mb * mb, limits.memory_mb * mb),
        resource.RLIMIT_FSIZE: (limits.file_mb * mb, limits.file_mb * mb),
        resource.RLIMIT_CORE: (0, 0),
        resource.RLIMIT_NPROC: (limits.processes, limits.processes),
    }
    for which, value in table.items():
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, value)


class _HiddenFinder(importlib.abc.MetaPathFinder):
    """Refuses to import hidden modules and their submodules (a second wall behind the
    tmpfs: ``harness.cache`` is covered by ``/dev/null``, which would import empty)."""

    def __init__(self, names: tuple[str, ...]):
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if _hidden_module(fullname, self.names):
            raise ModuleNotFoundError(f"No module named {fullname!r} (hidden by backcheck)")
        return None


def _block_imports(names: tuple[str, ...], paths: tuple[str, ...]) -> None:
    """Forget hidden modules, refuse to import them, and take hidden paths off
    ``sys.path`` (the parent's path may name the reference's own directory). Python's
    libraries inside a hidden directory (a virtualenv in a checkout) stay: they were
    bound back (see ``_hide``)."""
    for name in [m for m in sys.modules if _hidden_module(m, names)]:
        del sys.modules[name]
    sys.meta_path.insert(0, _HiddenFinder(names))
    sys.path[:] = [p for p in sys.path if not _off_path(os.path.realpath(p or "."), paths)]
    importlib.invalidate_caches()


def _off_path(path: str, hidden: tuple[str, ...]) -> bool:
    """Whether ``path`` is hidden: one of ``hidden``, or not a library and inside one."""
    return path in hidden or (_under(path, hidden) and not installed(path))


def _hidden_module(name: str, hidden: tuple[str, ...]) -> bool:
    return any(name == h or name.startswith(h + ".") for h in hidden)


def _under(path: str, folders: tuple[str, ...]) -> bool:
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)
