"""Running one submission's jobs in sandboxed children, and judging how each child ended.

The supervisor starts a child on the jobs still pending, takes its outcomes as they
stream in, and keeps two clocks: one per layer (loading counts as its own step) and
one for the whole submission. When a layer times out, crashes, hits a limit, raises
``SystemExit`` or sends garbage, that layer's remaining cases get a ``RunError``
saying why and where, and a fresh child takes the layers after it. A failure while
loading fails every case (another child would fail the same way).

Each child may send only what its cases need (``budget``: frames and bytes), with
at most ``MAX_NOTES`` notes; a frame that breaks a rule is that layer's error ("sent
malformed results"), and a refusal only fails the submission: nothing a child sends
becomes an exit code of backcheck.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable

from harness import catalog
from harness.errors import UsageError
from harness.execution import Execution, Job
from harness.outcome import Outcome, RunError
from harness.sandbox import cores, launcher, secrets, staging, wire
from harness.sandbox.child import Request
from harness.sandbox.codec import MAX_TEXT, unpack_outcome
from harness.sandbox.limits import Limits
from harness.target import Target

EXCERPT = 600
MAX_NOTES = 64
"""Notes a child may send (it sends at most 50)."""
FRAMES_PER_CASE = 2
FRAMES_SPARE = 16
BYTES_PER_CASE = 2**20
CASE_FACTOR = 64
"""A case's outcome carries its output, gradients and the adapter's probes (a few more
sets of gradients, in float64): far less than ``CASE_FACTOR`` times the case's own
arrays, plus ``BYTES_PER_CASE`` for text, even when a wrong shape is returned."""
LATE = 1.0
"""Seconds past its clock a frame is still taken (the parent may have been busy)."""
_HARNESS = secrets.HARNESS


def executor(limits: Limits) -> Callable[[Target, list[Job]], Execution]:
    """An executor running each submission under ``limits`` (see ``harness.isolation``)."""

    def run(target: Target, jobs: list[Job]) -> Execution:
        hidden = hidden_paths(limits)
        _refuse_reference(target)
        with staging.staged(target) as (staged, workdir), cores.reserved() as cpu:
            return Supervisor(target, staged, workdir, jobs, limits, hidden, cpu).run()

    return run


def hidden_paths(limits: Limits) -> tuple[str, ...]:
    """Every copy of the answer key (``secrets.paths``), the cache and ``limits.hidden``.

    The answer key is always hidden, even when it is on ``sys.path`` (a source tree
    that holds Python's libraries or ``harness`` keeps only those, see
    ``confinement``). Other paths are never backcheck's own directory or one Python
    imports from (or an ancestor of either): hiding those would break the child, not
    protect anything.
    """
    keys = secrets.paths()
    paths = [os.path.abspath(p) for p in limits.hidden] + _cache_dir()
    libraries = [os.path.realpath(p) for p in sys.path if p]
    needed = [_HARNESS, *(p for p in libraries if not _inside(p, keys))]
    others = [p for p in dict.fromkeys(os.path.realpath(p) for p in paths)
              if not any(_inside(n, [p]) for n in needed)]
    return tuple(dict.fromkeys(keys + others))


def _inside(path: str, folders: list[str]) -> bool:
    """Whether ``path`` is one of ``folders`` or lies under one of them."""
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def _refuse_reference(target: Target) -> None:
    """Checking the reference itself in the sandbox cannot work: say so plainly.

    (A submission inside another hidden path is fine: the child gets its own copy.)
    """
    path = os.path.realpath(target.path)
    module = not os.path.exists(target.path) and target.path.partition(".")[0]
    inside = _inside(path, _package_paths())
    if module in secrets.PACKAGES or inside:
        raise UsageError(f"{target.path} is hidden from sandboxed children",
                         hint="check it with --isolation none")


def _package_paths() -> list[str]:
    """Where the hidden packages live (found without importing them)."""
    return secrets.package_paths()


def _cache_dir() -> list[str]:
    """The expectations cache, when this version of backcheck has one."""
    try:
        from harness import cache
    except ImportError:
        return []
    return [str(cache.default_dir())]


def _build_allowance(target: Target) -> float:
    """The ``build_timeout`` of a program's manifest (0 for Python, or no build step).

    Loading a program runs its build, which its manifest may give longer than
    ``--timeout``; the parent reads that from the manifest, not from the child."""
    from harness.loaders.program import ManifestError, is_program, manifest_of

    if not is_program(target.path):
        return 0.0
    try:
        manifest = manifest_of(target.path)
    except ManifestError:
        return 0.0
    return manifest.build_timeout if manifest.build else 0.0


class Supervisor:
    """Drives children until every job has an outcome."""

    def __init__(self, target: Target, staged: Target, workdir: str, jobs: list[Job],
                 limits: Limits, hidden: tuple[str, ...], cpu: int | None = None):
        self.name = os.path.basename(target.path.rstrip("/")) or target.path
        self.staged = staged
        self.workdir = workdir
        self.jobs = list(jobs)
        self.pending = list(jobs)
        self.limits = limits
        self.hidden = hidden
        self.cpu = cpu
        self.outcomes: dict[str, Outcome] = {}
        self.adapter = ""
        self.notes: list[str] = []
        self.output = launcher.Output(limits.output_bytes)
        self.missing: list[str] = []
        self.deadline = time.monotonic() + limits.total_timeout
        self.loading_timeout = limits.timeout + _build_allowance(target)

    def run(self) -> Execution:
        """Every job's outcome, the adapter, and notes (including the sandbox's)."""
        while self.pending and self._child():
            pass
        self.fail(self.pending, RunError("crashed", "the sandbox returned no result"))
        outcomes = {case.id: self.outcomes[case.id] for _, case in self.jobs}
        return Execution(outcomes, self.adapter, self._notes())

    def _request(self) -> Request:
        jobs = [(catalog.outline(spec), case) for spec, case in self.pending]
        return Request(self.staged, jobs, self.limits, self.hidden, self.workdir, self.cpu,
                       catalog.outlines())

    def _child(self) -> bool:
        """Run one child; whether another should take the jobs still pending."""
        child = launcher.shared().launch(self._request(), self.limits.output_bytes)
        child.reader.budget = budget(self.pending)
        try:
            return Episode(self, child).run()
        finally:
            child.finish()
            self.output.add(bytes(child.output.kept))
            self.output.total += child.output.total - len(child.output.kept)
            self.missing += [m for m in child.walls.get("missing", [])
                             if isinstance(m, str) and m not in self.missing]

    def record(self, frame: wire.Frame) -> None:
        """Take one streamed outcome, after checking it belongs to a pending job."""
        case_id = frame.header.get("case")
        job = next((j for j in self.pending if j[1].id == case_id), None)
        if job is None:
            raise wire.WireError(f"outcome for an unknown or finished case {case_id!r}")
        outcome = unpack_outcome(frame.header, frame.arrays, job[0])
        self.outcomes[case_id] = self._memory(outcome)
        self._drop([job])

    def _memory(self, outcome: Outcome) -> Outcome:
        """``MemoryError`` inside the child is the memory limit, not a bug of the student
        (in a backward too, where it reaches only the gradients: the case is lost)."""
        error = next((e for e in (outcome.error, *outcome.problems.values())
                      if e is not None and e.kind == "exception" and "MemoryError" in e.message),
                     None)
        if error is None:
            return outcome
        limit = RunError("limit", f"memory limit {self.limits.memory_mb} MB exceeded "
                                  f"({error.message})", error.location)
        return Outcome(None, error=limit)

    def finish(self, header: dict) -> None:
        """The child's closing frame: adapter and loading notes (a bounded list)."""
        notes = header.get("notes", [])
        if not isinstance(notes, list) or len(notes) > MAX_NOTES:
            raise wire.WireError(f"more than {MAX_NOTES} notes, or notes not a list")
        self.adapter = _text(header.get("adapter"))
        self.note(*(_text(note) for note in notes))

    def note(self, *notes: str) -> None:
        """Add notes, each once (in linear time, whatever a child sends)."""
        self.notes = list(dict.fromkeys([*self.notes, *(n for n in notes if n)]))

    def current_layer(self) -> str:
        """The layer of the first job still pending ("" when none is)."""
        return self.pending[0][0].name if self.pending else ""

    def fail_step(self, loaded: bool, error: RunError) -> bool:
        """Fail the layer that was running (every case, if loading); go on if loaded."""
        if not loaded:
            self.fail(self.pending, error)
            return False
        layer = self.current_layer()
        self.fail([j for j in self.pending if j[0].name == layer], error)
        return True

    def fail(self, jobs: list[Job], error: RunError) -> None:
        """Give every job in ``jobs`` the outcome ``error``."""
        for job in jobs:
            self.outcomes[job[1].id] = Outcome(None, error=error)
        self._drop(jobs)

    def _drop(self, jobs: list[Job]) -> None:
        """Remove jobs from the pending list by identity (cases hold arrays: no ``==``)."""
        done = {id(job) for job in jobs}
        self.pending = [job for job in self.pending if id(job) not in done]

    def malformed(self, loaded: bool, problem: wire.WireError) -> bool:
        """A frame broke the rules: the step that was running fails (every check, while
        loading); a child that has nothing left to fail leaves a note instead."""
        if not self.pending:
            self.note(f"{self.name} sent malformed results after its last check ({problem})")
            return False
        where = f"in {self.current_layer()}" if loaded else "while loading"
        return self.fail_step(loaded, RunError("crashed", f"sent malformed results "
                                                          f"({problem}) {where}"))

    def refuse(self, header: dict) -> bool:
        """The child could not run the submission (an adapter tie): every check still
        pending fails with its reason. Never an exit code: a submission can forge this."""
        message = _text(header.get("message")) or "no reason given"
        self.fail(self.pending, RunError("load", f"{self.name} could not be run: {message}"))
        return False

    def _notes(self) -> list[str]:
        notes = list(self.notes)
        if self.missing:
            notes.append("sandbox: not enforced here: " + "; ".join(self.missing))
        if self.output.total:
            text = bytes(self.output.kept[:EXCERPT]).decode("utf-8", "replace")
            more = "..." if self.output.total > EXCERPT else ""
            notes.append(f"the submission printed {self.output.total} bytes (shown, never "
                         f"graded): {text!r}{more}")
        return notes


class Episode:
    """One child's life: its events, its clocks, and how it ended."""

    def __init__(self, supervisor: Supervisor, child: launcher.Child):
        self.sup = supervisor
        self.child = child
        self.loaded = False
        self.step = "loading"
        self.clock = time.monotonic()
        self.raised: dict = {}

    def run(self) -> bool:
        """Whether a fresh child should take over the jobs still pending."""
        try:
            return self._events()
        except wire.WireError as exc:
            self.child.kill()
            return self.sup.malformed(self.loaded, exc)

    def _events(self) -> bool:
        """Take events until the child ends, times out or breaks a rule. The clocks are
        read before each frame, so a child that floods frames still times out."""
        while True:
            self._tick()
            limit = min(self.clock + self._allowed(), self.sup.deadline)
            event = self.child.next(limit)
            if isinstance(event, launcher.Timeout) or (
                    isinstance(event, wire.Frame) and time.monotonic() > limit + LATE):
                return self._timed_out()
            if isinstance(event, launcher.Exited):
                return self._ended(event.status, event.cpu_seconds)
            go_on = self._frame(event.header.get("type"), event)
            if go_on is not None:
                return go_on

    def _allowed(self) -> float:
        """Seconds the current step may take: ``--timeout``, plus a program's build."""
        return self.sup.limits.timeout if self.loaded else self.sup.loading_timeout

    def _tick(self) -> None:
        """Restart the layer clock when a new layer becomes the one running."""
        step = self.sup.current_layer() if self.loaded else "loading"
        if step != self.step:
            self.step, self.clock = step, time.monotonic()

    def _frame(self, kind: str | None, frame: wire.Frame) -> bool | None:
        if isinstance(frame, wire.Broken):
            raise frame.error
        if kind == "outcome":
            self.sup.record(frame)
        elif kind == "loaded":
            self.loaded = True
        elif kind == "raised":
            self.raised = frame.header
        elif kind == "done":
            self.sup.finish(frame.header)
            return False
        elif kind == "refused":
            return self.sup.refuse(frame.header)
        elif kind == "sandbox-failed":
            message = f"the sandbox could not start: {_text(frame.header.get('message'))}"
            return self.sup.fail_step(False, RunError("crashed", message))
        elif kind != "where":
            raise wire.WireError(f"unknown frame type {kind!r}")
        return None

    def _timed_out(self) -> bool:
        where = self.child.probe()
        self.child.kill()
        what, location = _where(where.header if where else {})
        if time.monotonic() >= self.sup.deadline:
            message = f"submission time limit of {self.sup.limits.total_timeout:g} s exceeded"
            self.sup.fail(self.sup.pending, RunError("timeout", message, location))
            return False
        seconds = f"{self._allowed():g} s"
        if not self.loaded:
            error = RunError("timeout", f"timed out after {seconds} while loading "
                                        f"{self.sup.name}", location)
        else:
            error = RunError("timeout", f"timed out after {seconds} in {self._place(what)}",
                             location)
        return self.sup.fail_step(self.loaded, error)

    def _place(self, what: str) -> str:
        layer = self.sup.current_layer()
        if not what or what == "loading" or what.startswith(layer + "."):
            return what if what.startswith(layer + ".") else layer
        return f"{layer} ({what})"

    def _ended(self, status: int | None, cpu_seconds: float) -> bool:
        kind, reason = _reason(status, cpu_seconds, self.sup.limits)
        what, location = _where(self.raised)
        if self.raised:
            kind, reason = "exception", f"raised {_text(self.raised.get('exception'))}"
        if not self.loaded:
            kind = "load" if kind == "exception" else kind
            message = f"{self.sup.name} {reason} while loading"
        elif kind == "limit":
            message = f"{reason} in {self._place(what)}"
        else:
            message = f"{self._place(what)} {reason}"
        return self.sup.fail_step(self.loaded, RunError(kind, message, location))


def budget(jobs: list[Job]) -> wire.Budget:
    """What a child running ``jobs`` may send in all (see ``CASE_FACTOR``)."""
    nbytes = sum(BYTES_PER_CASE + CASE_FACTOR * _case_bytes(case) for _, case in jobs)
    return wire.Budget(FRAMES_PER_CASE * len(jobs) + FRAMES_SPARE, nbytes)


def _case_bytes(case) -> int:
    """The bytes of a case's arrays (inputs, parameters, upstream gradient)."""
    return sum(int(a.nbytes) for a in (*case.arrays().values(), case.upstream))


def _where(header: dict) -> tuple[str, str]:
    return _text(header.get("what"))[:200], _text(header.get("location"))[:200]


def _text(value: object) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _reason(status: int | None, cpu_seconds: float, limits: Limits) -> tuple[str, str]:
    """The RunError kind and message for a worker that ended before finishing.

    As PID 1 of its namespace the worker ignores ``SIGXCPU``, so the CPU limit shows
    as the hard limit's ``SIGKILL`` after ``cpu_seconds`` of CPU time.
    """
    if status is None:
        return "crashed", "vanished (no exit status)"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU or cpu_seconds >= limits.cpu_seconds:
            return "limit", f"CPU time limit of {limits.cpu_seconds} s exceeded"
        if sig == signal.SIGXFSZ:
            return "limit", f"file size limit of {limits.file_mb} MB exceeded"
        if sig == signal.SIGKILL:
            return "crashed", "was killed (SIGKILL; out of memory?)"
        return "crashed", f"crashed with signal {signal.Signals(sig).name}"
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
    return "crashed", f"exited with status {code} before finishing"
