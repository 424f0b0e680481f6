"""The parent's side of the zygote: start it once, ask it for children, watch them.

``launch`` hands the zygote a request and three fresh pipes and returns a ``Child``:
the parent's view of one worker, which yields frames, the worker's exit status or a
timeout, keeps at most ``output_bytes`` of what the worker printed, and can probe
(``SIGUSR1``: which function is running?) and kill it with everything it started.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from harness.errors import HarnessError
from harness.sandbox import wire, zygote
from harness.sandbox.child import Request

_BOOT = ("import json, sys; sys.path[:] = json.loads(sys.argv[2]); "
         "from harness.sandbox.zygote import main; main(int(sys.argv[1]))")
_CHUNK = 1 << 20
EXIT_GRACE = 2.0


@dataclass(frozen=True)
class Timeout:
    """No event before the deadline."""


@dataclass(frozen=True)
class Exited:
    """The worker ended; ``status`` as from ``os.waitpid`` (``None``: unknown)."""

    status: int | None
    cpu_seconds: float = 0.0


class Zygote:
    """One pre-warmed fork server for this parent process (thread-safe)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._socket: socket.socket | None = None
        self.start_seconds = 0.0

    def start(self) -> None:
        """Start the server now, if it is not running (its cost is ``start_seconds``)."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        started = time.perf_counter()
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        paths = [p for p in sys.path if p]
        with tempfile.TemporaryFile() as errors:
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-c", _BOOT, str(theirs.fileno()), json.dumps(paths)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=errors, env=_environment(),
                start_new_session=True)
            theirs.close()
            self._socket = mine
            self._await_ready(errors)
        self.start_seconds = time.perf_counter() - started

    def _await_ready(self, errors) -> None:
        """Wait until the zygote has imported and warmed up (so no child's clock pays);
        if it dies instead, the last line it wrote to stderr says why."""
        self._socket.settimeout(zygote.START_TIMEOUT)
        try:
            ready = self._socket.recv(1) == zygote.READY
        except OSError:
            ready = False
        self._socket.settimeout(None)
        if not ready:
            self._stop()
            errors.seek(0)
            lines = errors.read()[-2000:].decode("utf-8", "replace").strip().splitlines()
            why = f" ({lines[-1]})" if lines else ""
            raise HarnessError(f"the sandbox's fork server did not start{why}",
                               hint="run with --isolation none to check without a sandbox")

    def launch(self, request: Request, output_bytes: int) -> Child:
        """A new child running ``request``."""
        body = zygote.request_bytes(request)
        pipes = [os.pipe() for _ in range(zygote.FDS_PER_REQUEST)]
        try:
            with self._lock:
                self._send(body, [w for _, w in pipes])
        except BaseException:
            for fd in (fd for pair in pipes for fd in pair):
                os.close(fd)
            raise
        for _, w in pipes:
            os.close(w)
        return Child(*(r for r, _ in pipes), output_bytes=output_bytes)

    def _send(self, body: bytes, fds: list[int]) -> None:
        """Hand a request to the zygote, restarting it once if it has gone."""
        for attempt in range(2):
            self._ensure()
            try:
                socket.send_fds(self._socket, [zygote.header(len(body))], fds)
                self._socket.sendall(body)
                return
            except OSError as exc:
                self._stop()
                if attempt:
                    raise HarnessError(f"the sandbox's fork server stopped ({exc})",
                                       hint="run again; --isolation none checks "
                                            "without a sandbox") from None

    def _stop(self) -> None:
        if self._socket is not None:
            self._socket.close()
        if self._process is not None:
            self._process.kill()
            self._process.wait()
        self._process = self._socket = None

    def close(self) -> None:
        """Stop the server (children it forked die with it)."""
        with self._lock:
            self._stop()


BLAS_MACHINE_FACTS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
"""Set on processors where OpenBLAS misdetects its kernel: a child without them would
compute with another kernel (different last bits, or wrong results on old builds)."""


def _environment() -> dict[str, str]:
    """A minimal environment: no tokens or paths of the parent leak into children."""
    facts = {name: os.environ[name] for name in BLAS_MACHINE_FACTS if name in os.environ}
    return {
        **facts,
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": "/nonexistent",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }


_zygotes: dict[int, Zygote] = {}
_zygotes_lock = threading.Lock()


def shared() -> Zygote:
    """This process's zygote (a forked copy of a parent gets its own)."""
    with _zygotes_lock:
        if os.getpid() not in _zygotes:
            _zygotes[os.getpid()] = Zygote()
            atexit.register(_zygotes[os.getpid()].close)
        return _zygotes[os.getpid()]


@dataclass
class Output:
    """What the worker printed: the first ``cap`` bytes kept, all of it counted."""

    cap: int
    kept: bytearray = field(default_factory=bytearray)
    total: int = 0

    def add(self, data: bytes) -> None:
        room = max(0, self.cap - len(self.kept))
        self.kept += data[:room]
        self.total += len(data)


class Child:
    """The parent's view of one worker: its frames, its output, its end."""

    def __init__(self, result: int, output: int, status: int, output_bytes: int):
        self.reader = wire.Reader()
        self.output = Output(output_bytes)
        self.pid: int | None = None
        self.walls: dict = {}
        self.status: int | None = None
        self.cpu_seconds = 0.0
        self._frames: list[wire.Frame] = []
        self._fds = {result: self._on_result, output: self.output.add, status: self._on_status}
        self._status_text = b""
        self._exited = False

    def next(self, deadline: float) -> wire.Frame | Exited | Timeout:
        """The next frame, the worker's exit, or ``Timeout`` at ``deadline``.

        Raises ``wire.WireError`` when the worker sends garbage.
        """
        while True:
            if self._frames:
                return self._frames.pop(0)
            if self._exited:
                return Exited(self.status, self.cpu_seconds)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Timeout()
            self._pump(remaining)

    def _pump(self, timeout: float) -> None:
        if not self._fds:
            self._exited = True
            return
        ready, _, _ = select.select(list(self._fds), [], [], timeout)
        for fd in ready:
            handler = self._fds.get(fd)
            if handler is None:
                continue
            data = os.read(fd, _CHUNK)
            if not data:
                self._close(fd)
            handler(data)

    def _on_result(self, data: bytes) -> None:
        self._frames += self.reader.feed(data)

    def _on_status(self, data: bytes) -> None:
        self._status_text += data
        *lines, self._status_text = self._status_text.split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            self.pid = message.get("pid", self.pid)
            if "status" in message:
                self.status = message["status"]
                self.cpu_seconds = float(message.get("cpu", 0.0))
                self._drain_after_exit()
            elif "pid" in message:
                self.walls = message
        if not data:
            self._exited = True

    def _drain_after_exit(self) -> None:
        """Read what the dead worker left in its pipes (results and printed output),
        then report the exit."""
        self.kill()
        deadline = time.monotonic() + 0.5
        pipes = {fd: h for fd, h in self._fds.items()
                 if h in (self._on_result, self.output.add)}
        while pipes and time.monotonic() < deadline:
            ready, _, _ = select.select(list(pipes), [], [], 0.05)
            if not ready:
                break
            for fd in ready:
                data = os.read(fd, _CHUNK)
                handler = pipes[fd]
                if not data:
                    self._close(fd)
                    del pipes[fd]
                handler(data)
        self._exited = True

    def probe(self, wait: float = 0.3) -> wire.Frame | None:
        """Ask the worker where it is; its ``where`` frame, if it answers in time.

        Other frames that arrive meanwhile are kept for ``next``.
        """
        if self.pid is None or self._exited:
            return None
        _signal(self.pid, signal.SIGUSR1)
        deadline = time.monotonic() + wait
        held: list[wire.Frame] = []
        try:
            while isinstance(event := self.next(deadline), wire.Frame):
                if event.header.get("type") == "where":
                    return event
                held.append(event)
            return None
        finally:
            self._frames[:0] = held

    def kill(self) -> None:
        """SIGKILL the worker and its process group (in its PID namespace: everything)."""
        if self.pid is not None:
            _signal(self.pid, signal.SIGKILL)
            _signal(-self.pid, signal.SIGKILL)

    def finish(self) -> None:
        """Kill the worker, wait briefly for its status, and close every pipe."""
        if self.pid is None:
            self._wait_for_pid()
        self.kill()
        deadline = time.monotonic() + EXIT_GRACE
        while not self._exited and time.monotonic() < deadline:
            try:
                self._pump(deadline - time.monotonic())
            except wire.WireError:
                self._frames.clear()
        for fd in list(self._fds):
            self._close(fd)

    def _wait_for_pid(self) -> None:
        deadline = time.monotonic() + EXIT_GRACE
        while self.pid is None and not self._exited and time.monotonic() < deadline:
            try:
                self._pump(deadline - time.monotonic())
            except wire.WireError:
                self._frames.clear()

    def _close(self, fd: int) -> None:
        if self._fds.pop(fd, None) is not None:
            os.close(fd)


def _signal(pid: int, sig: int) -> None:
    try:
        if pid < 0:
            os.killpg(-pid, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
