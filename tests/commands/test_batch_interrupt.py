"""``backcheck batch`` stopped by a signal or killed with ``kill -9``, as a real process:
it stops at once, leaves no process, half folder or staging directory behind, and the
next run finishes the rest without regrading a finished submission."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from harness.sandbox.staging import PREFIX

ROOT = Path(__file__).resolve().parents[2]
SLOW = "import time\ntime.sleep({seconds})\n"


def slow_class(course, folder: Path, count: int, seconds: float = 0.5) -> Path:
    """``count`` correct submissions that each take ``seconds`` to load."""
    folder.mkdir()
    correct = (course / "submissions" / "correct.py").read_text()
    for i in range(count):
        (folder / f"s{i:02d}.py").write_text(SLOW.format(seconds=seconds) + correct)
    return folder


def command(course, folder, out, *extra) -> list[str]:
    return [sys.executable, "-m", "harness", "batch", str(folder), "--rubric",
            str(course / "rubric.toml"), "--oracles", "fd", "--out", str(out), *extra]


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True)


def finish(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def rows(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "gradebook.csv", newline="") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def published(out: Path) -> dict[str, int]:
    """Finished submission -> the inode of its grade.json (a regrade changes it)."""
    return {p.parent.name: p.stat().st_ino
            for p in (out / "submissions").glob("*/grade.json")
            if not p.parent.name.startswith(".")}


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (from /proc; zombies count as gone)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        state = _stat(entry)
        if state is not None and state[0] != "Z":
            children.setdefault(state[1], []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def living(pids: set[int]) -> set[int]:
    return {p for p in pids if (s := _stat(str(p))) is not None and s[0] != "Z"}


def _stat(pid: str) -> tuple[str, int] | None:
    if not pid.isdigit():
        return None
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def wait_for(condition, seconds: float, child: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        assert child is None or child.poll() is None, child.stderr.read()
        time.sleep(0.05)


PROMPTLY = 10.0
"""Seconds from the signal to the exit the test accepts. The measured figure (under 2 s on
an idle 2-core machine) is printed by this test with -s; a machine loaded tenfold, as when
the suite runs beside other work, took 4.7 s, so a tight bound here would only flake."""


@pytest.mark.slow
@pytest.mark.parametrize(("jobs", "sig"), [("1", signal.SIGINT), ("2", signal.SIGTERM)])
def test_a_batch_of_20_stopped_after_5_s_exits_130_promptly_and_resumes(
        course, tmp_path, jobs, sig):
    folder, out = slow_class(course, tmp_path / "class", 20), tmp_path / "out"
    args = command(course, folder, out, "-j", jobs)
    child = start(args)
    time.sleep(5)
    wait_for(lambda: published(out), 60, child)  # a loaded machine may need longer
    below = descendants(child.pid)
    sent = time.monotonic()
    child.send_signal(sig)
    code = child.wait(timeout=30)
    seconds = time.monotonic() - sent
    print(f"-j {jobs} {sig.name}: exit {code} {seconds:.2f} s after the signal")
    assert code == 130 and seconds < PROMPTLY, child.stderr.read()
    wait_for(lambda: not living(below), 3)
    done = published(out)
    book = rows(out)
    assert 0 < len(done) < 20 and len(book) == 20
    assert {n for n, r in book.items() if r["status"] == "graded"} == set(done)
    assert all(book[n]["score"] == "19" for n in done)
    assert all(r["score"] == "" for n, r in book.items() if n not in done)
    assert not [p for p in (out / "submissions").iterdir() if p.name.startswith(".")]
    again = finish(args)
    assert again.returncode == 0, again.stderr
    assert f"skipping {len(done)} already graded" in again.stderr
    assert not any(f"graded {n}:" in again.stderr for n in done)
    assert {n: published(out)[n] for n in done} == done
    assert {r["score"] for r in rows(out).values()} == {"19"}


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_kill_9_leaves_no_orphans_and_the_rerun_is_a_clean_run(course, tmp_path, jobs):
    folder, out = slow_class(course, tmp_path / "class", 8, 0.8), tmp_path / "out"
    args = command(course, folder, out, "-j", jobs)
    child = start(args)
    wait_for(lambda: len(published(out)) >= 2, 120, child)
    wait_for(lambda: len(descendants(child.pid)) >= 3, 30, child)
    below = descendants(child.pid)  # the zygote, a monitor, its worker (-j: and workers)
    child.kill()
    child.wait()
    wait_for(lambda: not living(below), 3)
    mine = {child.pid, *below}
    left = [n for n in os.listdir(tempfile.gettempdir())
            if n.startswith(tuple(f"{PREFIX}{pid}-" for pid in mine))]
    assert jobs == "2" or left, "kill -9 of a serial grader leaves its staging directory"
    done = published(out)
    again = finish(args)
    assert again.returncode == 0, again.stderr
    assert f"skipping {len(done)} already graded" in again.stderr
    assert {n: published(out)[n] for n in done} == done
    assert not [n for n in left if os.path.exists(os.path.join(tempfile.gettempdir(), n))]
    assert not [p for p in (out / "submissions").iterdir() if p.name.startswith(".")]
    clean = tmp_path / "clean"
    assert finish(command(course, folder, clean, "-j", "2")).returncode == 0
    assert (out / "gradebook.csv").read_text() == (clean / "gradebook.csv").read_text()
