"""Attacks on the sandbox's walls, graded through the real CLI: each submission tries
to get past a wall and prints (``ESCAPE ...``) what it got; the printed text reaches
the grade only as a note, which is where these tests read it."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from harness import cli

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork"),
    pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                       reason="the walls need root (namespaces)"),
]

ESCAPES = Path(__file__).parent / "escapes"
SHM_KEY = 0x6B630000
SHM_KEYS = range(SHM_KEY, SHM_KEY + 16)


def escape(name: str, tmp_path: Path, capsys, timeout: float = 30.0) -> tuple[dict, str]:
    """The JSON grade of escape ``name`` and what it printed after ``ESCAPE``."""
    capsys.readouterr()
    out = tmp_path / "out"
    cli.main(["grade", str(ESCAPES / f"{name}.py"), "--layers", "Linear", "--oracles", "fd",
              "--adapter", "native", "--timeout", str(timeout), "--format", "json",
              "--out", str(out)])
    capsys.readouterr()
    report = json.loads((out / "grade.json").read_text())
    shutil.rmtree(out)
    printed = " ".join(n for n in report["notes"] if "ESCAPE" in n)
    match = re.search(r"ESCAPE ([^\\']*)", printed)
    assert match, (report["notes"], {c["message"] for c in report["checks"]})
    return report, match.group(1)


def verdicts(report: dict) -> set[str]:
    return {c["verdict"] for c in report["checks"]}


def test_the_grader_machinery_cannot_be_imported(tmp_path, capsys):
    report, seen = escape("import_grader", tmp_path, capsys)
    assert seen.strip() == "imported="
    assert verdicts(report) == {"fail"}


def test_no_user_namespace_so_nothing_under_a_cover(tmp_path, capsys):
    report, seen = escape("user_namespace", tmp_path, capsys)
    assert seen.split() == ["unshare=False", "command=False", "read=False"]
    assert verdicts(report) == {"fail"}


def _segments() -> set[int]:
    """Keys of this IPC namespace's System V segments made by the attack."""
    with open("/proc/sysvipc/shm") as table:
        rows = [line.split() for line in table.readlines()[1:]]
    return {int(row[0]) for row in rows if row and int(row[0]) in SHM_KEYS}


def _remove_segments() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for key in SHM_KEYS:
        segment = libc.shmget(key, ctypes.c_size_t(0), 0)
        if segment >= 0:
            libc.shmctl(segment, 0, None)


def test_memfd_and_shared_memory_are_contained(tmp_path, capsys):
    try:
        report, seen = escape("memory_outside_limits", tmp_path, capsys)
        held = dict(item.split("=") for item in seen.split())
        assert int(held["memfd"]) == 0
        assert 0 < int(held["shm"]) <= 64  # the scratch size, in the child's own namespace
        assert _segments() == set()  # nothing left behind in the host's namespace
        assert verdicts(report) == {"pass"}
    finally:
        with contextlib.suppress(OSError):
            _remove_segments()


def test_no_writable_host_directory(tmp_path, capsys):
    report, seen = escape("writable_dirs", tmp_path, capsys, timeout=90.0)
    assert seen.strip() == "writable=0"
    assert verdicts(report) == {"pass"}
