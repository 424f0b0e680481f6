"""Loading a program written in any language: a folder with a ``backcheck.toml``.

The manifest says how to build the program (optional) and how to run it::

    build = "cargo build --release --offline --quiet"
    run = "target/release/seed-network"

Loading copies the folder to a fresh writable directory (the submission itself is
never written to; in the sandbox it is read-only), runs ``build`` there against its own
time limit, starts ``run`` and reads the program's handshake. Everything runs where
the loader runs: in the sandboxed worker under ``grade`` and ``batch``, as ``nobody``
with the worker's limits. A manifest that is wrong, a build that fails (the report
shows the compiler's first error) or a handshake that is wrong is the submission's
``error``, so every layer reports it; the protocol itself is
:mod:`harness.adapters.protocol`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import weakref
from dataclasses import dataclass

from harness.adapters.protocol import PROGRAM, Command, ProtocolError, Session, kill_group
from harness.submission import Submission

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

MANIFEST = "backcheck.toml"
BUILD_TIMEOUT = 60.0
REPLY_TIMEOUT = 10.0
BUILD_LOG_BYTES = 64_000
FIRST_ERROR = re.compile(r"(^|\W)(error|Error|ERROR)(\W|$)")
LOCATION = re.compile(r"^\s*-->\s")
TOOLCHAIN_ENV = {"CARGO_NET_OFFLINE": "true", "CARGO_TERM_COLOR": "never", "CARGO_BUILD_JOBS": "1",
                 "CARGO_TERM_PROGRESS_WHEN": "never"}


@dataclass(frozen=True)
class Manifest:
    """What ``backcheck.toml`` declares."""

    run: str
    build: str = ""
    build_timeout: float = BUILD_TIMEOUT
    timeout: float = REPLY_TIMEOUT


class ManifestError(Exception):
    """``backcheck.toml`` is missing a key, has a wrong type or is not TOML."""


def is_program(path: str) -> bool:
    """Whether ``path`` is a program folder (or its manifest file)."""
    if os.path.isdir(path):
        return os.path.isfile(os.path.join(path, MANIFEST))
    return os.path.basename(path) == MANIFEST and os.path.isfile(path)


def read_manifest(path: str) -> Manifest:
    """The manifest at ``path``, checked key by key."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{MANIFEST} cannot be read: {exc}") from None
    unknown = set(data) - {"run", "build", "build_timeout", "timeout"}
    if unknown:
        raise ManifestError(f"{MANIFEST}: unknown key {sorted(unknown)[0]!r} "
                            "(known: build, run, build_timeout, timeout)")
    if not isinstance(data.get("run"), str) or not data["run"].strip():
        raise ManifestError(f"{MANIFEST} needs run = \"the command that starts the program\"")
    if not isinstance(data.get("build", ""), str):
        raise ManifestError(f"{MANIFEST}: build must be a string (a shell command)")
    for key in ("build_timeout", "timeout"):
        value = data.get(key, 1.0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ManifestError(f"{MANIFEST}: {key} must be a positive number of seconds")
    return Manifest(data["run"], data.get("build", ""),
                    float(data.get("build_timeout", BUILD_TIMEOUT)),
                    float(data.get("timeout", REPLY_TIMEOUT)))


def manifest_of(path: str) -> Manifest:
    """The manifest of the program at ``path`` (its folder or its manifest file)."""
    folder = os.path.dirname(path) if os.path.isfile(path) else path
    return read_manifest(os.path.join(folder, MANIFEST))


def load_program(path: str) -> Submission:
    """The program in folder ``path``: built, started, and past its handshake."""
    folder = os.path.abspath(os.path.dirname(path) if os.path.isfile(path) else path)
    submission = Submission(os.path.basename(folder.rstrip("/")) + "/", folder)
    try:
        manifest = manifest_of(folder)
    except ManifestError as exc:
        submission.error = str(exc)
        return submission
    workdir = _workspace(folder)
    env = {**os.environ, **TOOLCHAIN_ENV}
    if manifest.build:
        problem, seconds = build(manifest, workdir, env)
        if problem:
            submission.error = problem
            shutil.rmtree(workdir, ignore_errors=True)
            return submission
        submission.notes.append(f"built with `{manifest.build}` in {seconds:.1f} s")
    session = Session(Command(submission.name, manifest.run, workdir, env, manifest.timeout))
    weakref.finalize(session, shutil.rmtree, workdir, True)
    try:
        session.start()
    except ProtocolError as exc:
        session.stop()
        submission.error = f"the program did not start: {exc}"
        return submission
    submission.namespace = {PROGRAM: session}
    return submission


def _workspace(folder: str) -> str:
    """A writable copy of the program's folder (symlinks kept as links)."""
    workdir = tempfile.mkdtemp(prefix="backcheck-program-")
    destination = os.path.join(workdir, os.path.basename(folder.rstrip("/")) or "program")
    shutil.copytree(folder, destination, symlinks=True)
    return destination


def build(manifest: Manifest, workdir: str, env: dict[str, str]) -> tuple[str, float]:
    """Run the build step; ``("", seconds)`` or a one-line reason it failed."""
    started = time.monotonic()
    log_path = os.path.join(os.path.dirname(workdir), "build.log")
    with open(log_path, "wb") as log:
        try:
            process = subprocess.Popen(["/bin/sh", "-c", manifest.build], cwd=workdir,
                                       env=env, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=log, start_new_session=True)
        except OSError as exc:
            return (f"the build could not start: {exc.strerror or exc} (at the process "
                    "limit?)", time.monotonic() - started)
        try:
            code = process.wait(manifest.build_timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            return (f"build timed out after {manifest.build_timeout:g} s (`{manifest.build}`; "
                    f"raise build_timeout in {MANIFEST})", time.monotonic() - started)
    seconds = time.monotonic() - started
    if code == 0:
        return "", seconds
    with open(log_path, "rb") as log:
        text = log.read(BUILD_LOG_BYTES).decode("utf-8", "replace")
    return f"build failed (`{manifest.build}` exited with status {code}): " \
           f"{first_error(text)}", seconds


def first_error(log: str) -> str:
    """The compiler's first error line (with rustc's ``--> file:line`` after it), or
    the last line of output when no line says error."""
    lines = [line.rstrip() for line in log.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if FIRST_ERROR.search(line) and "warning" not in line.split(":")[0]:
            following = lines[index + 1] if index + 1 < len(lines) else ""
            where = f" {following.strip()}" if LOCATION.match(following) else ""
            return (line.strip() + where)[:400]
    return lines[-1][:400] if lines else "no output"
