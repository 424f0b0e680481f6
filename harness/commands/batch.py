"""``backcheck batch DIR --out OUT``: grade every submission in a folder.

Each entry of DIR (a ``.py`` file, a notebook, a zip or a directory; names starting
with ``.`` or ``_`` are ignored) is one submission, graded into
``OUT/submissions/<name>/`` as soon as it finishes; then ``OUT/gradebook.csv`` and
``OUT/summary.html`` are built from every ``grade.json`` there. A submission that
cannot be loaded, crashes or times out gets a zero row with the reason, and the batch
goes on. Rerunning skips the submissions already graded with the same settings, so an
interrupted batch resumes. ``--shard K/N`` grades every N-th submission from the K-th,
for splitting a class across machines (``backcheck merge`` joins the parts).

Exit codes: 0 every submission has a row (whatever its score); 2 bad command line;
3 bad input (rubric, unwritable ``--out``, no such folder); 130 interrupted (the
finished submissions are kept).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from harness.assessment import Graded, grade_one, submission_name
from harness.commands.grade import add_grading, view
from harness.commands.options import plan_of
from harness.engine import Preparation
from harness.errors import EXIT_OK, BackcheckError, HarnessError, UsageError
from harness.grading import crashed
from harness.plan import Plan
from harness.reports import file_name, make_directory, write_reports, write_text

SUBMISSIONS = "submissions"
GRADEBOOK = "gradebook.csv"
SUMMARY = "summary.html"


def register(sub) -> None:
    parser = sub.add_parser("batch", help="grade every submission in a folder",
                            description=__doc__.splitlines()[0], epilog=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", help="folder with one entry per submission")
    add_grading(parser, formats="json,markdown")
    parser.add_argument("--out", default="backcheck-grades",
                        help="output folder (default: %(default)s)")
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="submissions graded at once (needs --isolation process)")
    parser.add_argument("--shard", type=shard, default=(1, 1), metavar="K/N",
                        help="grade only the K-th of N parts of the class")
    parser.add_argument("--regrade", action="store_true",
                        help="grade again even the submissions already graded")
    parser.set_defaults(run=run)


def shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)`` (argparse type)."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N (e.g. 2/4)") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be between 1 and N")
    return k, n


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise UsageError(f"-j {args.jobs}: must be at least 1")
    plan = plan_of("batch", args, path=args.folder)
    found = [p for p in discover(args.folder) if not _same(p, args.out)]
    paths = select(found, *args.shard)
    make_directory(os.path.join(args.out, SUBMISSIONS))
    todo = [p for p in paths if args.regrade or not finished(args.out, p, plan)]
    say = _Reporter(len(paths) - len(todo), len(paths))
    try:
        if todo:
            work = Work(plan, plan.prepare(), list(plan.formats), args.out, plan.students)
            grade_all(work, todo, args.jobs if plan.isolation == "process" else 1, say)
    finally:
        write_class(args.out)
    say.done(args.out)
    return EXIT_OK


def discover(folder: str) -> list[str]:
    """Every submission in ``folder``, sorted by name."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise BackcheckError(f"cannot list submissions: {exc.strerror or exc}",
                             where=folder) from None
    return [os.path.join(folder, n) for n in names if not n.startswith((".", "_"))]


def _same(a: str, b: str) -> bool:
    """Whether two paths name the same place (the output folder is not a submission)."""
    return os.path.realpath(a) == os.path.realpath(b)


def select(paths: list[str], k: int, n: int) -> list[str]:
    """The K-th of N interleaved parts of ``paths`` (by sorted position)."""
    return paths[k - 1::n]


def report_dir(out: str, path: str) -> str:
    return os.path.join(out, SUBMISSIONS, submission_name(path))


def finished(out: str, path: str, plan: Plan) -> bool:
    """Whether ``path`` already has a grade made with the same settings."""
    try:
        with open(os.path.join(report_dir(out, path), file_name("json")), encoding="utf-8") as f:
            return json.load(f).get("settings") == plan.settings()
    except (OSError, ValueError):
        return False


class Work:
    """What every worker shares: the plan, the prepared cases and expected values, where
    to write."""

    def __init__(self, plan: Plan, preparation: Preparation, formats: list[str],
                 out: str, students: bool):
        self.plan, self.preparation = plan, preparation
        self.formats, self.out, self.students = formats, out, students
        self.executor = plan.executor()

    def __call__(self, path: str) -> float:
        """Grade ``path`` and write its reports; returns its score."""
        try:
            graded = grade_one(path, self.plan, self.preparation, self.executor)
        except (UsageError, HarnessError):
            raise
        except Exception as exc:
            reason = f"backcheck could not grade it: {type(exc).__name__}: {exc}"
            graded = Graded(crashed(submission_name(path), self.plan.rubric, reason))
        write_reports(graded, self.formats, report_dir(self.out, path), view(self.plan))
        return graded.grade.points


def grade_all(work: Callable[[str], float], paths: list[str], jobs: int,
              say: _Reporter) -> None:
    """Grade ``paths``, ``jobs`` submissions at a time, reporting each as it finishes."""
    with say.progress(len(paths)) as advance:
        if jobs == 1:
            for path in paths:
                advance(path, work(path))
            return
        for path, score in _in_workers(work, paths, jobs):
            advance(path, score)


_WORK: Callable[[str], float] | None = None
"""The batch's ``Work``, inherited by forked worker processes instead of pickled per task."""


def _in_workers(work: Callable[[str], float], paths: list[str],
                jobs: int) -> Iterator[tuple[str, float]]:
    """(path, score) from ``jobs`` forked worker processes, in order of completion.

    Processes, not threads: judging a submission and writing its reports is Python work
    in the grader itself (the submission's code runs in its own sandboxed child), so
    threads would leave all but one core idle. Workers are forked after the expected
    values are computed, so they share them without copying or recomputing.
    """
    global _WORK
    _WORK = work
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {pool.submit(_grade_in_worker, p): p for p in paths}
            for future in as_completed(futures):
                yield futures[future], future.result()
    finally:
        _WORK = None


def _grade_in_worker(path: str) -> float:
    return _WORK(path)


def write_class(out: str) -> None:
    """``gradebook.csv`` and ``summary.html`` from every ``grade.json`` under ``out``."""
    from harness.reports import csv as gradebook
    from harness.reports import summary

    grades, links = [], {}
    for name, data in _grades(out):
        grades.append(data)
        if os.path.exists(os.path.join(out, SUBMISSIONS, name, file_name("html"))):
            links[data["submission"]] = f"{SUBMISSIONS}/{name}/{file_name('html')}"
    write_text(os.path.join(out, GRADEBOOK), gradebook.render(grades))
    write_text(os.path.join(out, SUMMARY), summary.render(grades, links))


def _grades(out: str) -> Iterator[tuple[str, dict]]:
    folder = os.path.join(out, SUBMISSIONS)
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        path = os.path.join(folder, name, file_name("json"))
        try:
            with open(path, encoding="utf-8") as handle:
                yield name, json.load(handle)
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as exc:
            raise BackcheckError(f"unreadable grade: {exc}", where=path,
                                 hint="delete that submission's folder to regrade it"
                                 ) from None


class _Reporter:
    """A rich progress bar on a terminal; one line per submission otherwise."""

    def __init__(self, skipped: int, total: int):
        from rich.console import Console

        self.console = Console(stderr=True, soft_wrap=True)
        self.total = total
        self.lock = threading.Lock()
        if skipped:
            self.console.print(f"skipping {skipped} already graded "
                               "(use --regrade to grade them again)")

    def progress(self, count: int):
        from contextlib import contextmanager

        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        @contextmanager
        def bar():
            columns = ("[progress.description]{task.description}", BarColumn(),
                       MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=self.console,
                          disable=not self.console.is_terminal) as progress:
                task = progress.add_task("grading", total=count)

                def advance(path: str, score: float) -> None:
                    with self.lock:
                        progress.advance(task)
                        if not self.console.is_terminal:
                            print(f"graded {submission_name(path)}: {score:g}",
                                  file=sys.stderr)
                yield advance

        return bar()

    def done(self, out: str) -> None:
        self.console.print(f"{self.total} submissions; gradebook "
                           f"{os.path.join(out, GRADEBOOK)}, summary "
                           f"{os.path.join(out, SUMMARY)}")
