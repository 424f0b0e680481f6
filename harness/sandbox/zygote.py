"""The pre-warmed fork server: each sandboxed child costs a fork, not a Python start.

The parent starts this once (``python -I -c ...``, a clean interpreter with a minimal
environment) and keeps a Unix socket to it. It imports only NumPy and backcheck's
child side (``PRELOAD``): never the reference, the spec catalog (adapters read outlines
from ``harness.catalog``), an oracle, the engine or a framework, so nothing secret is in
the memory a child inherits. Each request is a pickled
``child.Request`` from the trusted parent plus three pipe ends (results, output,
status) passed as ``SCM_RIGHTS``; the zygote forks a monitor for it and goes back
to waiting. It exits when the parent closes the socket (or dies: the kernel closes
it), and each monitor dies with it (``PR_SET_PDEATHSIG``), taking its worker along.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pickle
import signal
import socket
import struct
import sys
import tempfile

from harness.lifetime import die_with_parent

PRELOAD = ("numpy", "nbformat", "harness.execution", "harness.catalog",
           "harness.adapters.native", "harness.sandbox.child")
"""Imported once here, so no child pays for them (nbformat: notebook submissions)."""
FDS_PER_REQUEST = 3
READY = b"R"
START_TIMEOUT = 120.0
_LENGTH = struct.Struct(">Q")


WARM_UP = "class Linear:\n    def forward(self, x):\n        return x\n\n" \
          "    def backward(self, d):\n        return {}\n"


def main(fd: int) -> None:
    """Serve fork requests on the socket ``fd`` until it closes."""
    for module in PRELOAD:
        importlib.import_module(module)
    warm_up()
    gc.freeze()
    from harness.sandbox import child

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    control = socket.socket(fileno=fd)
    control.sendall(READY)
    me = os.getpid()
    while (received := receive(control)) is not None:
        request, fds = received
        if os.fork() == 0:
            control.close()
            die_with_parent(signal.SIGKILL, me)
            child.monitor(request, *fds)
        for pipe in fds:
            os.close(pipe)


def warm_up() -> None:
    """Load and adapt a tiny submission once, so what loaders and adapters import lazily
    (``numpy.testing``, every registered adapter) is in memory before any fork."""
    from harness import catalog
    from harness.execution import execute
    from harness.spec import Spec
    from harness.target import Target

    modules, path = set(sys.modules), list(sys.path)
    linear = Spec("Linear", "layer", ("x",), ("W", "b"), ("x", "W", "b"), (),
                  catalog.undrawable, "")
    catalog.install({"Linear": linear})
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "warm_up.py")
        with open(source, "w") as out:
            out.write(WARM_UP)
        with contextlib.suppress(Exception):
            execute(Target(source), [])
    catalog.install(None)
    for name in [m for m in sys.modules if m not in modules and m.startswith("backcheck_")]:
        del sys.modules[name]
    sys.path[:] = path


def receive(control: socket.socket):
    """The next ``(request, fds)``, or ``None`` when the parent has gone."""
    head, fds, _, _ = socket.recv_fds(control, _LENGTH.size, FDS_PER_REQUEST)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    body = bytearray()
    while len(body) < length:
        chunk = control.recv(min(length - len(body), 1 << 20))
        if not chunk:
            return None
        body += chunk
    return pickle.loads(body), fds


def request_bytes(request: object) -> bytes:
    """The bytes the parent sends after the length header (see ``receive``)."""
    return pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)


def header(length: int) -> bytes:
    """The length header that carries the file descriptors."""
    return _LENGTH.pack(length)


if __name__ == "__main__":
    main(int(sys.argv[1]))
