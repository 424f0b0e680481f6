"""Forked worker processes that grade one submission at a time, and stop on demand.

Processes, not threads: judging a submission and writing its reports is Python work in
the grader itself (the submission's code runs in its own sandboxed child), so threads
would leave all but one core idle. Workers are forked after the expected values are
computed, so they share them without copying or recomputing.

Each worker dies with the grader, even one killed with ``kill -9`` (the kernel sends it
``SIGTERM``, see ``harness.lifetime``), and on ``SIGTERM`` it unwinds: the submission's
sandboxed child is killed and its staging directory removed by the code that made
them. ``stop`` ends every worker within ``STOP_GRACE`` seconds.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from harness.errors import EXIT_INTERRUPTED, HarnessError
from harness.lifetime import die_with_parent

STOP_GRACE = 1.5
"""Seconds a stopped worker has to unwind before it is killed."""


class _Worker:
    """One forked process and the parent's end of its pipe."""

    def __init__(self, context, work: Callable[[Any], Any]):
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, work, os.getpid()),
                                       daemon=True)
        self.process.start()
        theirs.close()
        self.task: Any = None

    def give(self, queue: list) -> None:
        """Send the next task of ``queue``, if any."""
        self.task = queue.pop(0) if queue else None
        if self.task is not None:
            self.conn.send(self.task)

    def answer(self) -> Any:
        """The result of the current task; the worker's error is raised here."""
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(0.5)
            raise HarnessError(f"a grading worker died (exit status {self.process.exitcode}) "
                               f"while grading {self.task}",
                               hint="run again with -j 1 to see the error") from None
        if kind == "error":
            raise value
        return value


def imap(work: Callable[[Any], Any], tasks: list, jobs: int) -> Iterator[tuple[Any, Any]]:
    """``(task, work(task))`` from ``jobs`` worker processes, in order of completion.

    Leaving the loop early (an error, ``KeyboardInterrupt``, ``close``) stops every
    worker, the busy ones included.
    """
    context = multiprocessing.get_context("fork")
    queue = list(tasks)
    workers = [_Worker(context, work) for _ in range(min(jobs, len(queue)))]
    try:
        for worker in workers:
            worker.give(queue)
        while busy := {w.conn: w for w in workers if w.task is not None}:
            for conn in wait(list(busy)):
                worker = busy[conn]
                result = worker.answer()
                yield worker.task, result
                worker.give(queue)
    finally:
        stop(workers)


def stop(workers: list[_Worker]) -> None:
    """Idle workers are told to finish, busy ones get ``SIGTERM``; after ``STOP_GRACE``
    seconds any still alive are killed."""
    for worker in workers:
        if worker.task is None and worker.process.is_alive():
            try:
                worker.conn.send(None)
                continue
            except OSError:
                pass
        worker.process.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for worker in workers:
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


def _serve(conn: Connection, work: Callable[[Any], Any], parent: int) -> None:
    """A worker's life: ``work`` each task received until ``None`` (or the parent's end).

    SIGINT is left to the parent (a terminal's Ctrl-C reaches the whole process
    group): the parent decides, and stops the workers with SIGTERM.
    """
    die_with_parent(signal.SIGTERM, parent)
    signal.signal(signal.SIGTERM, _unwind)
    signal.signal(signal.SIGINT, _leave_to_parent)
    try:
        while (task := conn.recv()) is not None:
            try:
                answer = ("done", work(task))
            except Exception as exc:
                answer = ("error", _sendable(exc))
            conn.send(answer)
    except (EOFError, OSError):
        return


def _unwind(signum, frame) -> None:
    """Leave whatever the worker is doing, running every ``finally`` on the way out."""
    raise SystemExit(EXIT_INTERRUPTED)


def _leave_to_parent(signum, frame) -> None:
    """Ignore SIGINT in a worker (a Python handler, not ``SIG_IGN``, so that processes
    this worker starts with ``exec`` do not inherit an ignored SIGINT)."""


def _sendable(exc: Exception) -> Exception:
    """``exc``, or a plain description of it when it cannot be pickled."""
    import pickle

    try:
        pickle.dumps(exc)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
