"""``backcheck batch`` on the mixed class: gradebook, summary, resume, interrupts, and
the same results whatever -j."""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import signal
import subprocess
import sys
import time

import pytest

from harness.commands.batch import select, shard
from harness.reports.json import stable

FAST = ("--oracles", "fd")


def batch(runner, course, out, *extra, folder=None):
    return runner("batch", folder or course / "submissions", "--rubric",
                     course / "rubric.toml", *FAST, "--out", out, *extra)


def gradebook(out) -> dict[str, dict[str, str]]:
    with open(out / "gradebook.csv", newline="") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def grades(out) -> dict[str, dict]:
    return {p.parent.name: stable(json.loads(p.read_text()))
            for p in sorted((out / "submissions").glob("*/grade.json"))}


def test_shards_partition_the_class():
    paths = [f"s{i}.py" for i in range(7)]
    parts = [select(paths, k, 3) for k in (1, 2, 3)]
    assert sorted(p for part in parts for p in part) == paths
    assert parts[0] == ["s0.py", "s3.py", "s6.py"]
    assert shard("2/3") == (2, 3)
    for bad in ("0/2", "3/2", "x", "1/2/3"):
        with pytest.raises(argparse.ArgumentTypeError, match=r"K/N|between"):
            shard(bad)


def test_mixed_class_gives_gradebook_summary_and_one_folder_each(cli, course, tmp_path):
    out = tmp_path / "out"
    run = batch(cli, course, out, "--isolation", "none", "--format", "json,markdown")
    assert run.code == 0, run.err
    book = gradebook(out)
    assert list(book) == ["buggy.py", "correct.py", "crashing.py", "partial.py"]
    assert book["correct.py"]["score"] == "19" and book["buggy.py"]["score"] == "14.1429"
    assert "FileNotFoundError" in book["crashing.py"]["problems"]
    assert "not implemented" in book["partial.py"]["problems"]
    overview = (out / "summary.html").read_text()
    assert overview.count("data:image/png;base64,") == 1  # the histogram
    assert all(f"<td>{name}</td>" in overview for name in book)
    for name in book:
        assert {p.name for p in (out / "submissions" / name).iterdir()} == {
            "grade.json", "report.md"}


def test_rerun_resumes_and_regrades_only_what_is_missing(cli, course, tmp_path):
    out = tmp_path / "out"
    batch(cli, course, out, "--isolation", "none")
    before = grades(out)
    (out / "submissions" / "partial.py" / "grade.json").unlink()
    run = batch(cli, course, out, "--isolation", "none")
    assert run.code == 0 and "skipping 3 already graded" in run.err
    assert "graded partial.py" in run.err and "graded buggy.py" not in run.err
    assert grades(out) == before
    other = batch(cli, course, out, "--isolation", "none", "--salt", "other")
    assert "skipping" not in other.err, "a new salt must regrade"


def test_output_folder_inside_the_class_is_not_a_submission(cli, course, tmp_path):
    folder = tmp_path / "class"
    shutil.copytree(course / "submissions", folder)
    assert batch(cli, course, folder / "grades", "--isolation", "none", folder=folder).code == 0
    assert batch(cli, course, folder / "grades", "--isolation", "none", folder=folder).code == 0
    assert list(gradebook(folder / "grades")) == ["buggy.py", "correct.py", "crashing.py",
                                                  "partial.py"]


def test_bad_options_are_usage_errors(cli, course, tmp_path):
    assert batch(cli, course, tmp_path, "--shard", "3/2").code == 2
    assert batch(cli, course, tmp_path, "-j", "0").code == 2
    missing = batch(cli, course, tmp_path, folder=tmp_path / "none")
    assert missing.code == 3 and "cannot list submissions" in missing.err


@pytest.mark.slow
def test_same_results_at_j1_and_j2_with_crashes_and_timeouts(backcheck, course, tmp_path):
    folder = tmp_path / "class"
    shutil.copytree(course / "submissions", folder)
    for unsafe in (course / "unsafe").glob("*.py"):
        shutil.copy(unsafe, folder)
    limits = ("--timeout", "3", "--total-timeout", "20")
    serial, parallel = tmp_path / "j1", tmp_path / "j2"
    assert batch(backcheck, course, serial, "-j", "1", *limits, folder=folder).code == 0
    assert batch(backcheck, course, parallel, "-j", "2", *limits, folder=folder).code == 0
    assert grades(serial) == grades(parallel)
    assert (serial / "gradebook.csv").read_text() == (parallel / "gradebook.csv").read_text()
    book = gradebook(serial)
    assert len(book) == 6
    assert "timed out" in book["hangs.py"]["problems"]
    assert "crashed" in book["exits.py"]["problems"]
    assert book["correct.py"]["score"] == "19"


@pytest.mark.slow
def test_interrupted_batch_keeps_finished_results_and_resumes(course, tmp_path):
    folder = tmp_path / "class"
    shutil.copytree(course / "submissions", folder)
    shutil.copy(course / "unsafe" / "hangs.py", folder / "zz_hangs.py")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "harness", "batch", str(folder), "--rubric",
               str(course / "rubric.toml"), *FAST, "--out", str(out), "--timeout", "60"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(list(out.glob("submissions/*/grade.json"))) < 4:
        assert time.monotonic() < deadline and child.poll() is None
        time.sleep(0.2)
    child.send_signal(signal.SIGINT)
    assert child.wait(timeout=60) == 130
    assert set(gradebook(out)) == {"buggy.py", "correct.py", "crashing.py", "partial.py"}
    (folder / "zz_hangs.py").unlink()
    done = subprocess.run([*command[:-2], "--timeout", "5"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "skipping 4 already graded" in done.stderr
