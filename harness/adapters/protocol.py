"""The adapter for programs in any language: backcheck-protocol over stdin and stdout.

A submission with a ``backcheck.toml`` (see :mod:`harness.loaders.program`) is a
program, not Python: the loader builds it and starts it once, and this module speaks
to it. The program first declares the protocol version, its layers and each layer's
conventions (the handshake); backcheck then sends one case at a time as lines of text
and reads back the output and the gradients. The format is in ``docs/protocol.md``.

Conventions are converted with the same code as for Python adapters
(``harness.adapters.conventions`` and ``layout``): declared, never guessed. A
program that dies, hangs or sends garbage fails the case (and, when it died or hung,
the rest of that layer); it is started afresh for the next layer.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from harness import catalog
from harness.adapters import conventions as conv
from harness.adapters import layout as lay
from harness.adapters.contract import Detection, Runner
from harness.adapters.conventions import Conventions
from harness.case import Case
from harness.errors import UsageError
from harness.outcome import Outcome, RunError
from harness.spec import Spec

VERSION = 1
GREETING = "backcheck-protocol"
PROGRAM = "__backcheck_program__"
"""The namespace key under which the program loader leaves its ``Session``."""
DECLARABLE = ("weight", "bias", "batch", "loss_grad", "param_grads", "activation_grad",
              "channels_last")
BATCHES = ("rows", "columns")
MIN_REPLY_BYTES = 1 << 20
BYTES_PER_VALUE = 64
MAX_HANDSHAKE_BYTES = 64_000
EXCERPT = 120


class ProtocolError(Exception):
    """The program broke the protocol; ``kind`` is a ``RunError`` kind."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Declaration:
    """One layer as the program declared it: its conventions and batch layout."""

    layer: str
    conventions: Conventions = field(default_factory=Conventions)
    batch: str = "rows"
    text: str = ""


@dataclass(frozen=True)
class Handshake:
    """The program's first words: protocol version and declared layers by name."""

    version: int
    layers: dict[str, Declaration] = field(default_factory=dict)


def parse_handshake(lines: list[str]) -> Handshake:
    """The handshake in ``lines`` (up to and without ``ready``); ``ProtocolError`` if bad."""
    words = lines[0].split() if lines else []
    if len(words) != 2 or words[0] != GREETING:
        raise ProtocolError("load", f"the program's first line must be '{GREETING} {VERSION}', "
                                    f"got {_excerpt(lines[0] if lines else '')}")
    if words[1] != str(VERSION):
        raise ProtocolError("load", f"the program speaks {GREETING} {words[1]}; this "
                                    f"backcheck speaks version {VERSION}")
    layers = {}
    for line in lines[1:]:
        words = line.split()
        if not words:
            continue
        if words[0] != "layer" or len(words) < 2:
            raise ProtocolError("load", f"handshake line {_excerpt(line)}: expected "
                                        "'layer NAME [key=value ...]' or 'ready'")
        layers[words[1]] = declaration(words[1], words[2:])
    return Handshake(VERSION, layers)


def declaration(layer: str, options: list[str]) -> Declaration:
    """A layer's declared conventions, checked: unknown keys and ``auto`` are refused."""
    batch, rest = "rows", []
    for option in options:
        key, _, value = option.partition("=")
        if key not in DECLARABLE:
            raise ProtocolError("load", f"{layer}: unknown convention {key!r} "
                                        f"(declarable: {', '.join(DECLARABLE)})")
        if value == "auto":
            raise ProtocolError("load", f"{layer}: {key}=auto cannot be read off a program; "
                                        f"declare its value")
        if key == "batch":
            if value not in BATCHES:
                raise ProtocolError("load", f"{layer}: batch={value!r}: choose rows or columns")
            batch = value
        else:
            rest.append(option)
    try:
        conventions = conv.parse(",".join(rest))
    except UsageError as exc:
        raise ProtocolError("load", f"{layer}: {exc}") from None
    return Declaration(layer, conventions, batch, " ".join(options))


@dataclass(frozen=True)
class Command:
    """How to start the program: a shell command run in ``cwd`` with ``env``."""

    name: str
    run: str
    cwd: str
    env: dict[str, str]
    timeout: float


class Session:
    """The running program: started once, restarted after it died, hung or flooded."""

    def __init__(self, command: Command):
        self.command = command
        self.process: subprocess.Popen | None = None
        self.handshake = Handshake(VERSION)
        self._buffer = bytearray()
        self._finalizer: weakref.finalize | None = None

    def start(self) -> Handshake:
        """Start the program and read its handshake (``ProtocolError`` if it fails)."""
        self.stop()
        try:
            self.process = subprocess.Popen(
                ["/bin/sh", "-c", f"exec {self.command.run}"], cwd=self.command.cwd,
                env=self.command.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                start_new_session=True)
        except OSError as exc:
            raise ProtocolError("crashed", f"`{self.command.run}` could not be started: "
                                           f"{exc.strerror or exc}") from None
        os.set_blocking(self.process.stdin.fileno(), False)
        self._finalizer = weakref.finalize(self, kill_group, self.process)
        self._buffer.clear()
        deadline = time.monotonic() + self.command.timeout
        lines = []
        while True:
            line = self._line(deadline, MAX_HANDSHAKE_BYTES, "its handshake")
            if line.strip() == "ready":
                break
            lines.append(line)
        self.handshake = parse_handshake(lines)
        return self.handshake

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exchange(self, request: bytes, limit: int) -> list[str]:
        """Send one case and return the reply's lines (without ``end``)."""
        deadline = time.monotonic() + self.command.timeout
        self._write(request, deadline)
        lines: list[str] = []
        budget = limit
        while True:
            line = self._line(deadline, budget, "a reply")
            budget -= len(line) + 1
            if line.strip() == "end":
                return lines
            lines.append(line)

    def stop(self) -> None:
        """Ask the program to quit, then make sure it and everything it started is gone."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                os.write(self.process.stdin.fileno(), b"quit\n")
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(0.2)
        kill_group(self.process)
        self.process = None

    def _write(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        fd = self.process.stdin.fileno()
        while view:
            if not select.select([], [fd], [], max(0.0, deadline - time.monotonic()))[1]:
                raise ProtocolError("timeout", self._silence("read its case"))
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue
            except (BrokenPipeError, OSError):
                raise ProtocolError("crashed", self._ended()) from None

    def _line(self, deadline: float, limit: int, what: str) -> str:
        """The next line of the program's stdout, within ``deadline`` and ``limit`` bytes."""
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            if len(self._buffer) > limit:
                raise ProtocolError("bad-return", f"{self.command.name} sent more than "
                                                  f"{limit} bytes for {what}")
            if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise ProtocolError("timeout", self._silence(f"send {what}"))
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise ProtocolError("crashed", self._ended(f" before finishing {what}"))
            self._buffer += chunk
        raw, _, rest = bytes(self._buffer).partition(b"\n")
        self._buffer[:] = rest
        if len(raw) > limit:
            raise ProtocolError("bad-return", f"{self.command.name} sent a line of {len(raw)} "
                                              f"bytes for {what} (at most {limit})")
        return raw.decode("utf-8", "replace")

    def _silence(self, what: str) -> str:
        return (f"{self.command.name} did not {what} within {self.command.timeout:g} s "
                f"(a program must flush stdout after each reply)")

    def _ended(self, during: str = "") -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(1.0)
        code = self.process.poll()
        if code is None:
            return f"{self.command.name} closed its stdout{during}"
        if code < 0:
            return (f"{self.command.name} crashed with signal "
                    f"{signal.Signals(-code).name}{during}")
        return f"{self.command.name} exited with status {code}{during}"


def kill_group(process: subprocess.Popen) -> None:
    """Kill the program's whole process group (it may have started others)."""
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        process.wait(1.0)
    for stream in (process.stdin, process.stdout):
        with contextlib.suppress(OSError):
            if stream:
                stream.close()


class ProtocolAdapter:
    """Layers of a program that speaks backcheck-protocol (a ``backcheck.toml`` folder)."""

    name = "protocol"

    def detect(self, namespace: Mapping[str, Any]) -> Detection:
        session = namespace.get(PROGRAM)
        if not isinstance(session, Session):
            return Detection(self.name, (), "no backcheck.toml program")
        declared = session.handshake.layers
        layers = catalog.specs()
        found = tuple(n for n in layers if n in declared)
        unknown = [n for n in declared if n not in layers]
        described = ", ".join(_described(declared[n]) for n in found) or "no catalog layer"
        extra = f"; not in the catalog: {', '.join(unknown)}" if unknown else ""
        return Detection(self.name, found, f"{session.command.name} speaks {GREETING} "
                                           f"{VERSION}: {described}{extra}")

    def runner(self, namespace: Mapping[str, Any], spec: Spec) -> Runner | None:
        session = namespace.get(PROGRAM)
        if not isinstance(session, Session) or spec.name not in session.handshake.layers:
            return None
        return LayerRunner(session, spec)


def _described(declaration: Declaration) -> str:
    return f"{declaration.layer} ({declaration.text})" if declaration.text else declaration.layer


class LayerRunner:
    """Runs one layer's cases through the program; after a crash or a hang the rest of
    the layer fails with that error, and the program restarts for the next layer."""

    def __init__(self, session: Session, spec: Spec):
        self.session = session
        self.spec = spec
        self.failed: RunError | None = None

    def __call__(self, case: Case) -> Outcome:
        if self.failed is not None:
            return Outcome(None, error=self.failed)
        try:
            self._ready()
            declared = self.session.handshake.layers.get(self.spec.name)
            if declared is None:
                raise ProtocolError("crashed", f"the restarted program no longer declares "
                                               f"{self.spec.name}")
            layout = layout_for(self.spec, case, declared)
            lines = self.session.exchange(request(self.spec, case, layout), reply_limit(case))
        except ProtocolError as exc:
            return self._lost(exc, case)
        return outcome(self.spec, case, declared, layout, lines)

    def _ready(self) -> None:
        if not self.session.running():
            self.session.start()

    def _lost(self, exc: ProtocolError, case: Case) -> Outcome:
        """The program cannot go on: fail this case and the rest of the layer."""
        self.session.stop()
        self.failed = RunError(exc.kind, f"{exc} (in {case.id}; the rest of {self.spec.name} "
                                         "is not run)")
        return Outcome(None, error=RunError(exc.kind, f"{exc} (in {case.id})"))


def layout_for(spec: Spec, case: Case, declared: Declaration) -> lay.Layout:
    """The conversions the declaration implies: the Python adapters' layout, every 2-D
    weight (``W``, ``W1``, ``W2``...) transposed for ``out-in``, and a column batch."""
    conventions = declared.conventions
    layout = lay.for_conventions(spec, case, conventions)
    for name, array in case.params.items():
        if name.startswith("W") and name != "W" and array.ndim == 2:
            single = lay.Layout()
            lay.weight(single, array.shape, conventions.weight)
            if "W" in single.moves:
                layout.moves[name] = single.moves["W"]
    if declared.batch == "columns":
        for name in ("x", "target", "out", "dout"):
            if name not in layout.moves:
                layout.add(name, _transpose_2d, _transpose_2d)
    return layout


def _transpose_2d(array: np.ndarray) -> np.ndarray:
    return array.T if array.ndim == 2 else array


def request(spec: Spec, case: Case, layout: lay.Layout) -> bytes:
    """One case as protocol text: header, config, inputs, parameters, upstream, end."""
    lines = [f"case {case.id} {spec.name} {case.dtype}"]
    lines += [f"config {key} {_config_value(value)}" for key, value in case.config.items()]
    for name in spec.inputs:
        lines.append(array_line(name, layout.theirs(name, case.inputs[name])))
    for name in spec.params:
        lines.append(array_line(name, layout.theirs(name, case.params[name])))
    lines.append(array_line("dout", layout.theirs("dout", case.upstream)))
    lines.append("end")
    return ("\n".join(lines) + "\n").encode()


def array_line(name: str, array: np.ndarray) -> str:
    """``array NAME NDIM D1 .. Dn V1 .. Vk``: row-major values, printed to round-trip
    (a boolean mask as 0 and 1, so every value is a number)."""
    array = np.asarray(array)
    if array.dtype == bool:
        array = array.astype(np.int64)
    values = array.ravel().tolist()
    return " ".join(["array", name, str(array.ndim), *map(str, array.shape), *map(repr, values)])


def _config_value(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return " ".join(_config_value(v) for v in value)
    if isinstance(value, bool):
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def reply_limit(case: Case) -> int:
    """The most bytes a sane reply to ``case`` can take (more is a flood)."""
    values = sum(a.size for a in case.arrays().values()) + case.upstream.size
    return MIN_REPLY_BYTES + BYTES_PER_VALUE * 4 * values


def parse_array(line: str) -> tuple[str, np.ndarray]:
    """The name and array of an ``array`` line (``ValueError`` saying what is wrong)."""
    words = line.split()
    if len(words) < 3 or words[0] != "array":
        raise ValueError(f"expected 'array NAME NDIM ...', got {_excerpt(line)}")
    name = words[1]
    try:
        ndim = int(words[2])
        shape = tuple(int(d) for d in words[3:3 + ndim])
    except ValueError:
        raise ValueError(f"array {name}: NDIM and the dimensions must be integers") from None
    if ndim < 0 or len(shape) != ndim or any(d < 0 for d in shape):
        raise ValueError(f"array {name}: bad shape in {_excerpt(line)}")
    tokens = words[3 + ndim:]
    expected = int(np.prod(shape, dtype=np.int64))
    if len(tokens) != expected:
        raise ValueError(f"array {name} of shape {shape} needs {expected} values, got "
                         f"{len(tokens)}")
    try:
        values = np.array(tokens, dtype=np.float64)
    except ValueError:
        raise ValueError(f"array {name}: a value is not a number") from None
    return name, values.reshape(shape)


def outcome(spec: Spec, case: Case, declared: Declaration, layout: lay.Layout,
            lines: list[str]) -> Outcome:
    """The program's reply in backcheck's conventions (errors and shapes checked)."""
    if lines and lines[0].startswith("error"):
        _, kind, message = [*lines[0].split(None, 2), "", ""][:3]
        kind = kind if kind == "not-implemented" else "exception"
        return Outcome(None, error=RunError(kind, f"{spec.name}: {message or 'no message'}"))
    arrays: dict[str, np.ndarray] = {}
    for number, line in enumerate(lines, 1):
        try:
            name, array = parse_array(line)
        except ValueError as exc:
            error = RunError("bad-return", f"line {number} of the reply to {case.id}: {exc}")
            return Outcome(None, error=error)
        arrays[name] = array
    if "out" not in arrays:
        return Outcome(None, error=RunError("bad-return", f"the reply to {case.id} has no "
                                                          "'array out' line"))
    output = _ours(layout, "out", arrays["out"], case.dtype)
    grads, problems = {}, {}
    for name in spec.wrt:
        theirs = arrays.get(f"d{name}")
        problem = _shape_problem(name, theirs, layout, case, declared)
        if problem:
            problems[name] = RunError("bad-return", problem)
            continue
        grads[name] = _gradient(spec, case, declared, layout, name, theirs)
    return Outcome(output, grads=grads, problems=problems)


def _shape_problem(name: str, theirs: np.ndarray | None, layout: lay.Layout, case: Case,
                   declared: Declaration) -> str:
    """Why a returned gradient cannot be taken: missing, or not shaped like its variable
    in the layout the program declared (``(2,)`` for a ``bias=column`` b1 of (2, 1))."""
    if theirs is None:
        return f"the reply has no 'array d{name}' line"
    ours = case.arrays()[name]
    expected = np.shape(layout.theirs(name, ours))
    if theirs.shape == expected:
        return ""
    why = f" ({declared.text})" if declared.text else ""
    return (f"d{name} has shape {theirs.shape}, but {name} is {expected} as the program "
            f"declared it{why}: a gradient has the shape of its variable")


def _gradient(spec: Spec, case: Case, declared: Declaration, layout: lay.Layout, name: str,
              theirs: np.ndarray) -> np.ndarray:
    value = layout.ours(name, theirs) * conv.grad_scale(spec, case, name, declared.conventions)
    if name == "x" and conv.is_local_activation(spec, declared.conventions):
        value = value * case.upstream
    return value.astype(case.dtype)


def _ours(layout: lay.Layout, name: str, theirs: np.ndarray, dtype: str) -> np.ndarray:
    return np.asarray(layout.ours(name, theirs)).astype(dtype)


def _excerpt(text: str) -> str:
    return repr(text[:EXCERPT] + ("..." if len(text) > EXCERPT else ""))


__all__ = ["GREETING", "PROGRAM", "VERSION", "Command", "Declaration", "Handshake",
           "ProtocolAdapter", "ProtocolError", "Session", "kill_group", "parse_handshake"]
