"""CPU reservations: concurrent submissions get different CPUs while there are any."""

from __future__ import annotations

import os

import pytest

from harness.sandbox import cores

pytestmark = pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux only")


def test_reservations_are_exclusive_until_released(tmp_path, monkeypatch):
    monkeypatch.setattr(cores, "LOCK_DIR", str(tmp_path))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    with cores.reserved() as first, cores.reserved() as second, cores.reserved() as third:
        assert {first, second} == {0, 1}
        assert third is None
    with cores.reserved() as again:
        assert again in (0, 1)


def test_pinning_a_forked_process_restricts_it_to_that_cpu():
    cpu = min(os.sched_getaffinity(0))
    pid = os.fork()
    if pid == 0:
        cores.pin(cpu)
        os._exit(0 if os.sched_getaffinity(0) == {cpu} else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
