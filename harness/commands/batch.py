"""``backcheck batch DIR --out OUT``: grade every submission in a folder.

Each entry of DIR (a ``.py`` file, a notebook, a zip or a directory; names starting
with ``.`` or ``_`` are ignored) is one submission, graded into
``OUT/submissions/<name>/`` as soon as it finishes; then ``OUT/gradebook.csv`` and
``OUT/summary.html`` are built from every ``grade.json`` there. A submission that
cannot be loaded, crashes or times out gets a zero row with the reason, and the batch
goes on. An entry that is a symbolic link, not a file or folder, or whose name is not
UTF-8 or holds a control character is refused: a zero row saying why.

Each submission's folder is written under a temporary name and renamed when complete,
with ``inputs.json`` recording what the grade was made from (the settings and a digest
of the submission's files and of the adapter file). Rerunning skips the submissions
whose ``inputs.json`` still matches, so an interrupted batch resumes and an edited
submission is graded again. SIGINT or SIGTERM stops the batch within about a second:
the submissions being graded are abandoned (their sandboxed children killed), the
gradebook marks every submission not graded yet, and the exit code is 130.
``--shard K/N`` grades every N-th submission from the K-th, for splitting a class
across machines (``backcheck merge`` joins the parts).

Exit codes: 0 every submission has a row (whatever its score); 2 bad command line;
3 bad input (rubric, unwritable ``--out``, no such folder); 130 interrupted (the
finished submissions are kept, the others marked "not graded").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from harness import workers
from harness.assessment import Graded, grade_one
from harness.commands.options import add_grading, plan_of
from harness.digest import DIGESTED, digest
from harness.engine import Preparation
from harness.errors import EXIT_INTERRUPTED, EXIT_OK, BackcheckError, HarnessError, UsageError
from harness.grading import crashed
from harness.lifetime import owner_gone
from harness.plan import Plan
from harness.reports import View, file_name, make_directory, write_reports, write_text
from harness.reports.csv import NOT_GRADED

SUBMISSIONS = "submissions"
GRADEBOOK = "gradebook.csv"
SUMMARY = "summary.html"
INPUTS = "inputs.json"
PARTIAL = ".partial-"
"""Prefix of a submission folder being written (``.partial-<pid>-...``): never read."""
STOPPED = "the batch stopped before grading it; run the same command again to grade it"
MAX_NAME_BYTES = 200
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


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
    entries = select(discover(args.folder, args.out), *args.shard)
    make_directory(os.path.join(args.out, SUBMISSIONS))
    sweep(args.out)
    made_from = Inputs(plan.settings(), args.adapter, args.adapter_file)
    todo = [e for e in entries if args.regrade or not finished(args.out, e, made_from)]
    say = _Reporter(len(entries) - len(todo), len(entries))
    jobs = args.jobs if plan.isolation == "process" else 1
    loading = threading.Thread(target=_load_class_reports, daemon=True)
    loading.start()
    stopped = False
    with stop_on_signals():
        try:
            if todo:
                work = Work(plan, plan.prepare(), list(plan.formats), args.out, plan.students,
                            made_from)
                loading.join()
                grade_all(work, todo, jobs, say)
        except KeyboardInterrupt:
            stopped = True
        finally:
            missing = [e for e in todo if e.name not in say.finished
                       and not finished(args.out, e, made_from)]
            write_class(args.out, [not_graded_row(e.name, plan.rubric.max_points)
                                   for e in missing])
    if stopped:
        say.stopped(len(missing))
        return EXIT_INTERRUPTED
    say.done(args.out)
    return EXIT_OK


@dataclass(frozen=True)
class Entry:
    """One entry of the batch folder: its path, the name it is known by in every report
    (and its folder under ``submissions/``), and why it is refused ("" when it is not)."""

    path: str
    name: str
    refusal: str = ""


def discover(folder: str, out: str | None = None) -> list[Entry]:
    """Every submission in ``folder`` (but the output folder ``out``), sorted by name."""
    try:
        names = sorted(os.listdir(folder), key=os.fsencode)
    except OSError as exc:
        raise BackcheckError(f"cannot list submissions: {exc.strerror or exc}",
                             where=folder) from None
    paths = [os.path.join(folder, n) for n in names if not n.startswith((".", "_"))]
    entries, taken = [], set()
    for path in paths:
        if out is not None and _same(path, out):
            continue
        entry = _entry(path)
        name = _unique(entry.name, taken)
        taken.add(name)
        entries.append(Entry(entry.path, name, entry.refusal))
    return entries


def _entry(path: str) -> Entry:
    """The entry at ``path``, refused when grading it would be unsafe or ambiguous."""
    name = os.path.basename(path)
    shown = _shortened(printable(name))
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return Entry(path, shown, f"cannot be read ({exc.strerror or exc})")
    if printable(name) != name:
        undecodable = os.fsencode(name).decode("utf-8", "replace") != name
        what = "is not valid UTF-8" if undecodable else "has a control or invisible character"
        return Entry(path, shown, f"its name {what}; rename it and grade again")
    if stat.S_ISLNK(mode):
        target = _shortened(printable(os.readlink(path)))
        return Entry(path, shown, f"is a symbolic link (to {target}); backcheck grades only "
                                  "files and folders themselves: copy the work in")
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return Entry(path, shown, "is not a file or a folder")
    return Entry(path, name)


def printable(text: str) -> str:
    """``text`` with bytes that are not UTF-8 shown as ``\\xNN`` and other characters
    that cannot be shown escaped: safe in a log line, a CSV cell and a folder name."""
    decoded = os.fsencode(text).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in decoded)


def _shortened(text: str) -> str:
    """``text`` cut to ``MAX_NAME_BYTES`` (an escaped name can outgrow a folder name)."""
    if len(text.encode()) <= MAX_NAME_BYTES:
        return text
    return text.encode()[:MAX_NAME_BYTES].decode("utf-8", "ignore") + "..."


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name~2``, ``name~3``...: the first not in ``taken``."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}~{number}"
    return candidate


def _same(a: str, b: str) -> bool:
    """Whether two paths name the same place (the output folder is not a submission)."""
    return os.path.realpath(a) == os.path.realpath(b)


def select(paths: list, k: int, n: int) -> list:
    """The K-th of N interleaved parts of ``paths`` (by sorted position)."""
    return paths[k - 1::n]


def report_dir(out: str, entry: Entry) -> str:
    return os.path.join(out, SUBMISSIONS, entry.name)


@dataclass(frozen=True)
class Inputs:
    """What a grade is made from besides the submission: the plan's settings and the
    adapter options. ``of(entry)`` adds the digests that make a batch's skip key."""

    settings: dict[str, Any]
    adapter: str | None = None
    adapter_file: str | None = None

    def of(self, entry: Entry) -> dict[str, Any]:
        """The content of ``inputs.json`` for ``entry`` (a refusal depends on no file)."""
        return {"settings": self.settings, "adapter": self.adapter,
                "adapter_file": self.adapter_file and digest(self.adapter_file),
                "submission": "refused" if entry.refusal else digest(entry.path)}


def finished(out: str, entry: Entry, made_from: Inputs) -> bool:
    """Whether ``entry`` already has a complete grade made from the same inputs (a
    published folder is complete: see ``publish``). A refused entry, or a submission
    that could not be read whole, has no digest to match and is never finished:
    refusing again costs nothing, and notices a fix."""
    folder = report_dir(out, entry)
    if not os.path.isfile(os.path.join(folder, file_name("json"))):
        return False
    inputs = made_from.of(entry)
    if not inputs["submission"].startswith(DIGESTED):
        return False
    try:
        with open(os.path.join(folder, INPUTS), encoding="utf-8") as handle:
            return json.load(handle) == inputs
    except (OSError, ValueError):
        return False


class Work:
    """What every worker shares: the plan, the prepared cases and expected values, where
    to write."""

    def __init__(self, plan: Plan, preparation: Preparation, formats: list[str],
                 out: str, students: bool, made_from: Inputs):
        self.plan, self.preparation = plan, preparation
        self.formats, self.out, self.students = formats, out, students
        self.made_from = made_from
        self.executor = plan.executor()

    def __call__(self, entry: Entry) -> float:
        """Grade ``entry`` and publish its reports; returns its score."""
        inputs = self.made_from.of(entry)  # before grading: a later edit must regrade
        graded = self.graded(entry)
        folder = tempfile.mkdtemp(prefix=f"{PARTIAL}{os.getpid()}-",
                                  dir=os.path.join(self.out, SUBMISSIONS))
        try:
            os.chmod(folder, 0o755)
            write_reports(graded, self.formats, folder, View.of(self.plan))
            write_text(os.path.join(folder, INPUTS), json.dumps(inputs))
            publish(folder, report_dir(self.out, entry))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return graded.grade.points

    def graded(self, entry: Entry) -> Graded:
        """The grade of ``entry``: a zero with the reason when refused or when backcheck
        fails on it (usage errors and broken oracles stop the batch)."""
        if entry.refusal:
            return Graded(crashed(entry.name, self.plan.rubric, f"refused: {entry.refusal}"))
        try:
            return grade_one(entry.path, self.plan, self.preparation, self.executor)
        except (UsageError, HarnessError):
            raise
        except Exception as exc:
            reason = f"backcheck could not grade it: {type(exc).__name__}: {exc}"
            return Graded(crashed(entry.name, self.plan.rubric, reason))


def publish(partial: str, final: str) -> None:
    """Move the complete folder ``partial`` to ``final`` by renaming, an older ``final``
    moved aside first and removed after, with SIGINT and SIGTERM held meanwhile: a
    folder under ``submissions/`` is a whole grade or none."""
    old = f"{partial}.old"
    with held_signals():
        if os.path.lexists(final):
            os.rename(final, old)
        os.rename(partial, final)
    shutil.rmtree(old, ignore_errors=True)


def sweep(out: str) -> None:
    """Remove what a killed run left: its partial folders, and the sandbox's staging
    directories of grading processes that are gone."""
    from harness.sandbox import staging

    folder = os.path.join(out, SUBMISSIONS)
    for name in os.listdir(folder):
        if owner_gone(name, PARTIAL):
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
    staging.sweep()


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs, SIGINT and SIGTERM raise ``KeyboardInterrupt`` once (later
    ones are ignored, so the gradebook gets written), even when the shell started the
    batch with SIGINT ignored (``backcheck batch ... &`` in a script)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = []

    def stop(signum, frame) -> None:
        if not stopping:
            stopping.append(signum)
            raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (it must not be left half done)."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def grade_all(work: Callable[[Entry], float], entries: list[Entry], jobs: int,
              say: _Reporter) -> None:
    """Grade ``entries``, ``jobs`` submissions at a time, reporting each as it finishes."""
    with say.progress(len(entries)) as advance:
        if jobs == 1:
            for entry in entries:
                advance(entry, work(entry))
            return
        with contextlib.closing(workers.imap(work, entries, jobs)) as results:
            for entry, score in results:
                advance(entry, score)


def not_graded_row(name: str, max_score: float, reason: str = STOPPED) -> dict[str, Any]:
    """A gradebook and summary row for a submission that has no grade yet."""
    return {"submission": name, "status": NOT_GRADED, "reason": reason, "score": 0,
            "max_score": max_score, "layers": [], "flags": [], "problems": []}


def _load_class_reports() -> None:
    """Import what ``write_class`` draws with (matplotlib: about a second) while the
    expected values are prepared, so that an interrupted batch writes its gradebook at
    once. Joined before grading: workers must not be forked in the middle of an import."""
    with contextlib.suppress(Exception):
        import matplotlib.figure  # noqa: F401

        from harness.reports import csv, summary  # noqa: F401


def write_class(out: str, missing: Iterable[Mapping[str, Any]] = ()) -> None:
    """``gradebook.csv`` and ``summary.html`` from every ``grade.json`` under ``out``;
    a row of ``missing`` replaces the grade of the same submission."""
    from harness.reports import csv as gradebook
    from harness.reports import summary

    replaced = {row["submission"]: row for row in missing}
    grades, links = [], {}
    for name, data in _grades(out):
        if data["submission"] in replaced:
            continue
        grades.append(data)
        if os.path.exists(os.path.join(out, SUBMISSIONS, name, file_name("html"))):
            links[data["submission"]] = f"{SUBMISSIONS}/{name}/{file_name('html')}"
    grades += replaced.values()
    with held_signals():
        write_text(os.path.join(out, GRADEBOOK), gradebook.render(grades))
        write_text(os.path.join(out, SUMMARY), summary.render(grades, links))


def _grades(out: str) -> Iterator[tuple[str, dict]]:
    """(folder name, grade) of every published submission folder under ``out``."""
    folder = os.path.join(out, SUBMISSIONS)
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    for name in (n for n in names if not n.startswith(".")):
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
        self.finished: set[str] = set()
        self.lock = threading.Lock()
        if skipped:
            self.console.print(f"skipping {skipped} already graded "
                               "(use --regrade to grade them again)")

    def progress(self, count: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        @contextlib.contextmanager
        def bar():
            columns = ("[progress.description]{task.description}", BarColumn(),
                       MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=self.console,
                          disable=not self.console.is_terminal) as progress:
                task = progress.add_task("grading", total=count)

                def advance(entry: Entry, score: float) -> None:
                    with self.lock:
                        self.finished.add(entry.name)
                        progress.advance(task)
                        if not self.console.is_terminal:
                            verb = "refused" if entry.refusal else "graded"
                            print(f"{verb} {entry.name}: {score:g}", file=sys.stderr)
                yield advance

        return bar()

    def stopped(self, missing: int) -> None:
        print(f"backcheck: interrupted; {missing} submissions not graded (marked "
              f"\"{NOT_GRADED}\" in the gradebook): run the same command again to grade "
              "them", file=sys.stderr)

    def done(self, out: str) -> None:
        self.console.print(f"{self.total} submissions; gradebook "
                           f"{os.path.join(out, GRADEBOOK)}, summary "
                           f"{os.path.join(out, SUMMARY)}")
