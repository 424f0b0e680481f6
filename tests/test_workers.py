"""Forked grading workers: every result, errors raised in the parent, prompt stop."""

from __future__ import annotations

import time

import pytest

from harness import workers
from harness.errors import BackcheckError


def square(n: int) -> int:
    if n < 0:
        raise BackcheckError("negative", where=f"task {n}", hint="use a positive number")
    if n == 99:
        time.sleep(60)
    return n * n


def test_every_task_is_done_once():
    assert sorted(workers.imap(square, list(range(7)), 3)) == [(n, n * n) for n in range(7)]


def test_a_worker_error_is_raised_whole_in_the_parent():
    with pytest.raises(BackcheckError) as raised:
        list(workers.imap(square, [1, -2, 3], 2))
    assert str(raised.value) == "task -2: negative; use a positive number"


def test_leaving_early_stops_busy_workers_at_once():
    results = workers.imap(square, [99, 2], 2)
    assert next(results) == (2, 4)
    started = time.monotonic()
    results.close()
    assert time.monotonic() - started < workers.STOP_GRACE + 0.5
