"""Processes that die with their parent, and stale names of processes that are gone."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from harness.lifetime import alive, owner_gone

MIDDLE = """
import os, signal, sys, time
from harness.lifetime import die_with_parent
me = os.getpid()
pid = os.fork()
if pid == 0:
    die_with_parent(signal.SIGKILL, me)
    time.sleep(60)
    os._exit(0)
print(pid, flush=True)
time.sleep(60)
"""


def gone_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_alive_and_owner_gone():
    dead = gone_pid()
    assert alive(os.getpid()) and not alive(dead)
    assert owner_gone(f".partial-{dead}-x1", ".partial-")
    assert not owner_gone(f".partial-{os.getpid()}-x1", ".partial-")
    assert not owner_gone("alice.py", ".partial-") and not owner_gone(".partial-x", ".partial-")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_a_child_dies_with_its_parent():
    middle = subprocess.Popen([sys.executable, "-c", MIDDLE], stdout=subprocess.PIPE,
                              text=True)
    grandchild = int(middle.stdout.readline())
    assert alive(grandchild)
    middle.kill()
    middle.wait()
    deadline = time.monotonic() + 3
    while _running(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(grandchild)


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent that does not reap it."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
