"""Benchmark: a class graded with ``backcheck batch`` against the naive per-submission script.

Generates N submissions (correct and buggy, every adapter style registered), then, in
one run and on the same submissions, measures:

- ``grade`` of one submission from a cold cache (empty cache directory, fresh process);
- ``batch`` of all N at ``-j JOBS``, from a cold cache and again warm;
- ``grade`` of one more (late) submission with the warm cache;
- the naive baseline: a fresh ``python -m pytest`` per submission of a test file that
  imports PyTorch and TensorFlow and checks every layer against both, run on a sample
  and scaled to N;
- the cost of a naive-loop student ``Conv2d``: how often it is called and for how long.

For each command it prints wall time, CPU time of the whole process tree
(``os.wait4``, children included), the largest single process's RSS, the peak of the
tree's summed RSS (sampled from ``/proc``), submissions per minute and the ratio to
the baseline. Usage: ``python benchmarks/run.py [-n 200] [-j 2] [--sample 3]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import baseline, submissions

BACKCHECK = [sys.executable, "-c", "from harness.cli import entry; entry()"]
"""What the ``backcheck`` console script runs, with this interpreter."""
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Measurement:
    """One command's cost, whole process tree included."""

    name: str
    wall: float
    cpu: float
    max_rss_mb: float
    tree_rss_mb: float
    exit_code: int
    count: int = 1
    parent_cpu: float = 0.0


def measure(name: str, argv: list[str], env: dict[str, str], log: Path, count: int = 1,
            cwd: Path | None = None) -> Measurement:
    """Run ``argv`` to completion, sampling its tree's memory; output goes to ``log``."""
    start = time.perf_counter()
    with log.open("w") as out:
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        sampler = TreeSampler(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    sampler.stop()
    return Measurement(name, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                       sampler.peak / 2**20, child.returncode, count, sampler.root_cpu)


class TreeSampler(threading.Thread):
    """The peak of the summed resident memory of a process and its descendants, and
    the CPU time of the root process alone (its last sample before it exits)."""

    def __init__(self, root: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.root, self.interval, self.peak, self.root_cpu = root, interval, 0, 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self.peak = max(self.peak, sum(_rss(p) for p in _descendants(self.root)))
            self.root_cpu = max(self.root_cpu, _own_cpu(self.root))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            parent = _ppid(int(entry))
            if parent is not None:
                parents.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[1])


def _own_cpu(pid: int) -> float:
    """User + system seconds of one process, its children not included."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def environment(cache: Path) -> dict[str, str]:
    """The benchmark's environment: its own cache directory, quiet TensorFlow."""
    return {**os.environ, "BACKCHECK_CACHE": str(cache), "TF_CPP_MIN_LOG_LEVEL": "3"}


def run(n: int, jobs: int, sample: int, work: Path) -> list[Measurement]:
    """Every measurement, in order, on one set of generated submissions."""
    class_dir, late_dir, logs = work / "class", work / "late", work / "logs"
    paths = submissions.generate(class_dir, n + 1)
    late = late_dir / paths[-1].name
    late_dir.mkdir()
    paths[-1].rename(late)
    paths = paths[:-1]
    logs.mkdir()
    naive = baseline.write(work / "naive")
    cold, warm = work / "cache-cold-grade", work / "cache"
    found = [
        measure("grade 1, cold cache", grade(paths[0], work / "out-grade-cold"),
                environment(cold), logs / "grade-cold.txt"),
        measure(f"batch {n} -j {jobs}, cold cache", batch(class_dir, work / "out-cold", jobs),
                environment(warm), logs / "batch-cold.txt", count=n),
        measure(f"batch {n} -j {jobs}, warm cache", batch(class_dir, work / "out-warm", jobs),
                environment(warm), logs / "batch-warm.txt", count=n),
        measure("grade 1 more, warm cache", grade(late, work / "out-grade-warm"),
                environment(warm), logs / "grade-warm.txt"),
    ]
    found.append(naive_baseline(paths, sample, naive, logs))
    return found


def grade(path: Path, out: Path) -> list[str]:
    """``backcheck grade`` with its defaults (whole catalog, all oracles, sandboxed)."""
    return [*BACKCHECK, "grade", str(path), "--out", str(out)]


def batch(folder: Path, out: Path, jobs: int) -> list[str]:
    """``backcheck batch`` into a fresh ``--out`` (so nothing is skipped as already graded)."""
    return [*BACKCHECK, "batch", str(folder), "--out", str(out), "-j", str(jobs)]


def naive_baseline(paths: list[Path], sample: int, test_file: Path, logs: Path) -> Measurement:
    """Fresh ``python -m pytest`` runs on a spread-out sample, scaled to all submissions."""
    step = max(1, len(paths) // sample)
    chosen = paths[::step][:sample]
    runs = [measure(f"naive {p.name}",
                    [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                     str(test_file)],
                    {**environment(Path("off")), "BENCHMARK_SUBMISSION": str(p)},
                    logs / f"naive-{i}.txt", cwd=test_file.parent)
            for i, p in enumerate(chosen)]
    scale = len(paths) / len(runs)
    return Measurement(
        f"naive baseline ({len(runs)} run, scaled to {len(paths)})",
        wall=sum(r.wall for r in runs) * scale, cpu=sum(r.cpu for r in runs) * scale,
        max_rss_mb=max(r.max_rss_mb for r in runs),
        tree_rss_mb=max(r.tree_rss_mb for r in runs),
        exit_code=max(r.exit_code for r in runs), count=len(paths),
        parent_cpu=sum(r.parent_cpu for r in runs) * scale)


def naive_conv_cost(work: Path) -> str:
    """How often, and for how long, a naive-loop student Conv2d is called per case.

    Runs the cases the way ``execute`` does (load, adapter, one runner per layer) with
    the student's ``forward`` and ``backward`` counted, next to the reference's time.
    """
    from harness import adapters, loaders
    from harness.specs import CATALOG

    spec = CATALOG["Conv2d"]
    cases = [case for dtype in ("float32", "float64") for case in spec.cases(dtype)]
    times = {}
    for bug in ("naive_conv", "correct"):
        source = work / f"conv_probe_{bug}.py"
        source.write_text(submissions.native(bug))
        namespace = loaders.load(str(source)).namespace
        calls = _count_calls(namespace["Conv2d"])
        runner = adapters.choose(namespace)[0].runner(namespace, spec)
        start = time.perf_counter()
        outcomes = [runner(case) for case in cases]
        times[bug] = (time.perf_counter() - start) / len(cases)
        assert all(o.error is None for o in outcomes)
    return (f"naive-loop Conv2d: {len(cases)} cases, {calls['forward']} forward and "
            f"{calls['backward']} backward calls of student code; "
            f"{times['naive_conv'] * 1000:.1f} ms per case "
            f"(vectorized reference: {times['correct'] * 1000:.1f} ms)")


def _count_calls(cls: type) -> dict[str, int]:
    """Wrap ``cls.forward`` and ``cls.backward`` to count calls (counts go in the dict)."""
    calls = {"forward": 0, "backward": 0}
    for name in calls:
        method = getattr(cls, name)

        def counted(self, *args, _method=method, _name=name, **kwargs):
            calls[_name] += 1
            return _method(self, *args, **kwargs)

        setattr(cls, name, counted)
    return calls


def report(found: list[Measurement], jobs: int) -> str:
    """The table, the ratios to the baseline and the targets.

    ``x base`` compares wall time per submission, ``x base cpu`` CPU time per
    submission (the fairer figure when other work shares the machine); ``parent cpu``
    is the CPU time of the ``backcheck`` process itself, without its sandboxed children.
    """
    base = found[-1]
    lines = [f"{'command':38} {'wall s':>8} {'cpu s':>8} {'parent cpu':>10} "
             f"{'max RSS MB':>10} {'tree RSS MB':>11} {'subs/min':>8} {'x base':>7} "
             f"{'x base cpu':>10} {'exit':>4}"]
    for m in found:
        ratio = base.wall / base.count * m.count / m.wall
        cpu_ratio = base.cpu / base.count * m.count / m.cpu
        lines.append(f"{m.name:38} {m.wall:8.2f} {m.cpu:8.2f} {m.parent_cpu:10.2f} "
                     f"{m.max_rss_mb:10.0f} {m.tree_rss_mb:11.0f} {60 * m.count / m.wall:8.1f} "
                     f"{ratio:7.1f} {cpu_ratio:10.1f} {m.exit_code:4}")
    grade_cold, batch_cold, batch_warm, grade_warm = found[:4]
    peak = max(batch_cold.tree_rss_mb, batch_warm.tree_rss_mb)
    lines += [
        "",
        f"baseline run {jobs} at a time (optimistic, /{jobs}): "
        f"{base.wall / jobs:.1f} s; batch cold is {base.wall / jobs / batch_cold.wall:.1f}x faster",
        f"load average during the run: {os.getloadavg()[0]:.1f} (last minute) on "
        f"{os.cpu_count()} cores",
        "targets:",
        _target(f"batch cold <= 60 s wall ({batch_cold.wall:.1f} s)", batch_cold.wall <= 60),
        _target(f"batch cold >= 15x baseline ({base.wall / batch_cold.wall:.1f}x wall, "
                f"{base.cpu / batch_cold.cpu:.1f}x cpu)", base.wall / batch_cold.wall >= 15),
        _target(f"grade 1 more, warm < 1.5 s wall ({grade_warm.wall:.2f} s)",
                grade_warm.wall < 1.5),
        _target(f"batch peak memory < 2 GB (summed over the tree: {peak:.0f} MB)", peak < 2048),
        f"(grade 1 cold: {grade_cold.wall:.1f} s; batch warm: {batch_warm.wall:.1f} s)",
    ]
    return "\n".join(lines)


def _target(text: str, met: bool) -> str:
    return f"  [{'met' if met else 'MISSED'}] {text}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="submissions in the batch")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="batch parallelism")
    parser.add_argument("--sample", type=int, default=3, help="naive baseline runs")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="backcheck-bench-"))
    try:
        print(f"styles: {', '.join(submissions.styles())}; bugs: {', '.join(submissions.BUGS)}")
        print(f"load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(naive_conv_cost(work), flush=True)
        found = run(args.n, args.jobs, args.sample, work)
        print(report(found, args.jobs))
    finally:
        if args.keep:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
