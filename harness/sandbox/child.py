"""The child side: a trusted monitor forks the confined worker that runs the submission.

The zygote forks a *monitor* per request. The monitor (still root, running only
backcheck code) builds the walls (``confinement.build``), forks the *worker*, tells
the parent the worker's pid, waits for it and reports its exit status and CPU time
on a pipe the worker never holds. The worker confines itself for good, then runs
``harness.execution.execute`` and streams, frame by frame, ``loaded``, one
``outcome`` per case, and ``done`` (or ``raised`` / ``refused``). Nothing it sends is
trusted: the parent validates every frame and computes every verdict itself.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sys
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, NoReturn

from harness import autodiff, catalog
from harness.case import Case
from harness.errors import BackcheckError
from harness.execution import execute
from harness.loaders.guard import Snapshot
from harness.outcome import Outcome, RunError
from harness.sandbox import confinement, cores, seccomp, wire
from harness.sandbox.codec import MAX_TEXT, pack_outcome
from harness.sandbox.limits import Limits
from harness.spec import Spec
from harness.target import Target

EXIT_SANDBOX_FAILED = 71


@dataclass(frozen=True)
class Request:
    """Everything a child needs, pickled by the (trusted) parent for the zygote."""

    target: Target
    jobs: list[tuple[Spec, Case]]
    limits: Limits
    hidden: tuple[str, ...]
    workdir: str
    cpu: int | None = None
    layers: dict[str, Spec] = field(default_factory=dict)
    """Outlines of the catalog's specs (``harness.catalog``): the child never sees
    ``harness.specs``, so the adapters detect layers from these."""


def monitor(request: Request, result_w: int, output_w: int, status_w: int) -> NoReturn:
    """Build the walls, fork the worker, report its pid and exit status; never returns."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        walls = confinement.build(request.hidden, request.limits.network, request.workdir,
                                  request.limits.file_mb, request.limits.memory_mb)
        seccomp.forbid(walls)
        pid = os.fork()
        if pid == 0:
            os.close(status_w)
            worker(request, result_w, output_w, walls)
        os.close(result_w)
        os.close(output_w)
        _status(status_w, {"pid": pid, "enforced": walls.enforced, "missing": walls.missing,
                           "pid_namespace": walls.pid_namespace})
        _, status, usage = os.wait4(pid, 0)
        confinement.release(walls)
        _status(status_w, {"status": status, "cpu": usage.ru_utime + usage.ru_stime})
    finally:
        os._exit(0)


def _status(fd: int, message: dict[str, Any]) -> None:
    os.write(fd, json.dumps(message).encode() + b"\n")


def worker(request: Request, result_w: int, output_w: int,
           walls: confinement.Walls) -> NoReturn:
    """Confine this process, then run the submission; never returns."""
    code = 0
    try:
        os.dup2(output_w, 1)
        os.dup2(output_w, 2)
        os.close(output_w)
        try:
            confinement.enter(request.limits, request.workdir, walls)
            cores.pin(request.cpu)
        except BaseException as exc:
            wire.send(result_w, {"type": "sandbox-failed", "message": repr(exc)[:MAX_TEXT]})
            os._exit(EXIT_SANDBOX_FAILED)
        serve(request, Channel(result_w))
    except BaseException:
        code = 1
    finally:
        _flush()
        os._exit(code)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()


class Channel:
    """The worker's end of the result pipe; ``busy`` while a frame is half-written.

    It keeps its own references to the functions it sends with, taken before the
    submission is loaded, so a submission that replaces them changes nothing.
    """

    def __init__(self, fd: int):
        self.fd = fd
        self.busy = False
        self._pack, self._encode, self._write = pack_outcome, wire.encode, os.write

    def send(self, header: dict[str, Any], arrays: list | None = None) -> None:
        self._send(self._encode(header, arrays or []))

    def outcome(self, case_id: str, outcome: Outcome) -> None:
        """Send one outcome, or an error in its place when it cannot be sent."""
        try:
            header, arrays = self._pack(case_id, outcome)
            frame = self._encode(header, arrays)
        except Exception as exc:
            error = RunError("bad-return", f"result could not be sent ({type(exc).__name__})")
            header, arrays = self._pack(case_id, Outcome(None, error=error))
            frame = self._encode(header, arrays)
        self._send(frame)

    def _send(self, frame: bytes) -> None:
        self.busy = True
        try:
            data = memoryview(frame)
            while data:
                data = data[self._write(self.fd, data):]
        finally:
            self.busy = False


def serve(request: Request, channel: Channel) -> None:
    """Run every job through ``execute``, streaming results over ``channel``."""
    catalog.install(request.layers)
    jobs = request.jobs
    layers = {case.id: spec.name for spec, case in jobs}
    sent: set[str] = set()
    snapshot = Snapshot()
    patched: dict[str, list[str]] = {}
    watch = autodiff.Watch()

    def progress(case_id: str, outcome: Outcome | None) -> None:
        if outcome is None:
            snapshot.restore()
            watch.install()
            channel.send({"type": "loaded"})
            return
        if changed := snapshot.restore():
            patched.setdefault(layers.get(case_id, case_id), []).extend(changed)
        if counts := watch.take():
            observations = {**outcome.observations, autodiff.COUNTS: counts}
            outcome = dataclasses.replace(outcome, observations=observations)
        watch.install()
        channel.outcome(case_id, outcome)
        sent.add(case_id)

    _install_probe(channel, request.workdir)
    try:
        execution = execute(request.target, jobs, progress)
    except BackcheckError as exc:
        channel.send({"type": "refused", "message": str(exc)[:MAX_TEXT],
                      "exit_code": exc.exit_code})
        return
    except BaseException as exc:
        what, location = locate(_tb_frames(exc), request.workdir)
        channel.send({"type": "raised", "exception": _describe(exc), "what": what,
                      "location": location})
        return
    for case_id, outcome in execution.outcomes.items():
        if case_id not in sent:
            channel.outcome(case_id, outcome)
    notes = [*execution.notes[:40], *(_patched(layer, names) for layer, names in patched.items())]
    _flush()  # what it printed reaches the parent before "done" ends the worker
    channel.send({"type": "done", "adapter": str(execution.adapter)[:MAX_TEXT],
                  "notes": [str(n)[:MAX_TEXT] for n in notes[:50]]})


def _patched(layer: str, names: list[str]) -> str:
    """The note for what a layer replaced while it ran (and the child put back)."""
    shown = ", ".join(dict.fromkeys(names[:20]))
    return (f"{layer} replaced {shown} while running; backcheck restored the originals "
            "after each case (do not patch NumPy or backcheck in a submission)")


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}({exc})" if str(exc) else type(exc).__name__
    return text[:MAX_TEXT]


def _install_probe(channel: Channel, workdir: str) -> None:
    """On SIGUSR1, tell the parent which function of the submission is running."""

    def probe(signum: int, frame: FrameType | None) -> None:
        if channel.busy:
            return
        what, location = locate(_stack(frame), workdir)
        channel.send({"type": "where", "what": what, "location": location})

    signal.signal(signal.SIGUSR1, probe)


def _stack(frame: FrameType | None, depth: int = 200) -> list[FrameType]:
    """The innermost ``depth`` frames, outermost first (cheap in deep recursion)."""
    frames = []
    while frame is not None and len(frames) < depth:
        frames.append(frame)
        frame = frame.f_back
    return frames[::-1]


def _tb_frames(exc: BaseException) -> list[FrameType]:
    return [tb.tb_frame for tb in _walk(exc.__traceback__)][-200:]


def _walk(tb):
    while tb is not None:
        yield tb
        tb = tb.tb_next


def locate(frames: list[FrameType], workdir: str) -> tuple[str, str]:
    """The innermost frame of the submission: its qualified name and ``file:line``."""
    mine = [f for f in frames if f.f_code.co_filename.startswith(workdir)]
    if not mine:
        return "", ""
    frame = mine[-1]
    name = getattr(frame.f_code, "co_qualname", frame.f_code.co_name)
    what = "loading" if name == "<module>" else name
    return what, f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}"


__all__ = ["Channel", "Request", "locate", "monitor", "serve", "worker"]
