"""``backcheck batch`` on the mixed class: gradebook, summary, resume, regrading what
changed, hostile folder entries, and the same results whatever -j. Signals and
``kill -9`` are in ``test_batch_interrupt.py``."""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from harness.commands import batch as batch_command
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
            "grade.json", "inputs.json", "report.md"}


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
    book = gradebook(out)
    assert set(book) == {"buggy.py", "correct.py", "crashing.py", "partial.py", "zz_hangs.py"}
    assert book["zz_hangs.py"]["status"] == "not graded" and book["zz_hangs.py"]["score"] == ""
    (folder / "zz_hangs.py").unlink()
    done = subprocess.run([*command[:-2], "--timeout", "5"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "skipping 4 already graded" in done.stderr


def copy_class(course, folder):
    shutil.copytree(course / "submissions", folder)
    return folder


def test_an_edited_submission_is_regraded_and_only_it(cli, course, tmp_path):
    folder, out = copy_class(course, tmp_path / "class"), tmp_path / "out"
    assert batch(cli, course, out, "--isolation", "none", folder=folder).code == 0
    assert gradebook(out)["buggy.py"]["score"] == "14.1429"
    before = {n: (out / "submissions" / n / "grade.json").stat().st_ino
              for n in ("correct.py", "crashing.py", "partial.py")}
    shutil.copy(folder / "correct.py", folder / "buggy.py")
    run = batch(cli, course, out, "--isolation", "none", folder=folder)
    assert run.code == 0 and "skipping 3 already graded" in run.err
    assert "graded buggy.py: 19" in run.err and run.err.count("\ngraded ") == 1
    assert gradebook(out)["buggy.py"]["score"] == "19"
    assert before == {n: (out / "submissions" / n / "grade.json").stat().st_ino
                      for n in before}


def test_a_file_edited_inside_a_folder_submission_is_regraded(cli, course, tmp_path):
    folder, out = tmp_path / "class", tmp_path / "out"
    (folder / "carol").mkdir(parents=True)
    shutil.copy(course / "submissions" / "buggy.py", folder / "carol" / "layers.py")
    (folder / "carol" / "notes.txt").write_text("first draft\n")
    assert batch(cli, course, out, "--isolation", "none", folder=folder).code == 0
    first = gradebook(out)["carol"]["score"]
    (folder / "carol" / "notes.txt").write_text("second draft\n")
    assert "graded carol" in batch(cli, course, out, "--isolation", "none",
                                   folder=folder).err
    shutil.copy(course / "submissions" / "correct.py", folder / "carol" / "layers.py")
    batch(cli, course, out, "--isolation", "none", folder=folder)
    assert (first, gradebook(out)["carol"]["score"]) == ("14.1429", "19")
    again = batch(cli, course, out, "--isolation", "none", folder=folder)
    assert "skipping 1 already graded" in again.err


def test_the_skip_key_holds_the_adapter_file_and_the_settings(tmp_path):
    adapter = tmp_path / "adapter.py"
    adapter.write_text("ADAPTER = None\n")
    entry = batch_command.Entry(str(tmp_path / "adapter.py"), "a.py")
    inputs = batch_command.Inputs({"salt_digest": "x"}, None, str(adapter))
    key = inputs.of(entry)
    adapter.write_text("ADAPTER = 1\n")
    assert inputs.of(entry)["adapter_file"] != key["adapter_file"]
    other = batch_command.Inputs({"salt_digest": "y"}, None, str(adapter))
    assert other.of(entry)["settings"] != inputs.of(entry)["settings"]


def test_a_half_written_or_unkeyed_result_is_not_trusted(cli, course, tmp_path):
    out = tmp_path / "out"
    batch(cli, course, out, "--isolation", "none")
    (out / "submissions" / "partial.py" / "inputs.json").unlink()
    stale = out / "submissions" / ".partial-999999999-abc"
    shutil.copytree(out / "submissions" / "correct.py", stale)
    run = batch(cli, course, out, "--isolation", "none")
    assert "skipping 3 already graded" in run.err and "graded partial.py" in run.err
    assert not stale.exists()
    assert list(gradebook(out)) == ["buggy.py", "correct.py", "crashing.py", "partial.py"]


def test_an_interruption_marks_the_rest_not_graded_and_leaves_no_half_folder(
        cli, course, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_reports = batch_command.write_reports
    written = []

    def interrupted_on_the_third(graded, formats, folder, *rest):
        written.append(folder)
        write_reports(graded, ["markdown"], folder, *rest)
        if len(written) == 3:
            raise KeyboardInterrupt
        write_reports(graded, formats, folder, *rest)

    monkeypatch.setattr(batch_command, "write_reports", interrupted_on_the_third)
    run = batch(cli, course, out, "--isolation", "none")
    assert run.code == 130 and "2 submissions not graded" in run.err
    book = gradebook(out)
    assert [book[n]["status"] for n in sorted(book)] == [
        "graded", "graded", "not graded", "not graded"]
    assert book["crashing.py"]["score"] == "" and "run the same command" in book[
        "crashing.py"]["reason"]
    assert sorted(p.name for p in (out / "submissions").iterdir()) == ["buggy.py",
                                                                       "correct.py"]
    monkeypatch.setattr(batch_command, "write_reports", write_reports)
    again = batch(cli, course, out, "--isolation", "none")
    assert again.code == 0 and "skipping 2 already graded" in again.err
    assert {r["status"] for r in gradebook(out).values()} == {"graded"}


def hostile_folder(course, folder, cache):
    """One correct submission under each awkward name, and entries that must be refused."""
    folder.mkdir()
    correct = (course / "submissions" / "correct.py").read_bytes()
    names = ["-rf.py", "it's.py", 'say "hi".py', "a,b.py", "=HYPERLINK(\"x\").py",
             "@SUM(1).py", "x" * 247 + ".py"]
    for name in names:
        (folder / name).write_bytes(correct)
    for raw in (b"caf\xe9.py", b"new\nline.py", b"\xe2\x80\xaeyp.txt.py"):
        with open(os.path.join(os.fsencode(folder), raw), "wb") as handle:
            handle.write(correct)
    import reference

    links = {"shadow.py": "/etc/shadow", "answers": os.path.dirname(reference.__file__),
             "cache": str(cache), "inside.py": str(folder / "-rf.py")}
    for name, target in links.items():
        os.symlink(target, folder / name)
    os.mkfifo(folder / "pipe.py")
    return names


def test_hostile_folder_entries_are_graded_or_refused_and_the_gradebook_is_csv(
        cli, course, tmp_path):
    from harness import cache

    names = hostile_folder(course, tmp_path / "class", cache.default_dir())
    out = tmp_path / "out"
    run = batch(cli, course, out, "-j", "2", folder=tmp_path / "class")
    assert run.code == 0, run.err
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(names) + 3 + 4 + 1
    book = {r["submission"]: r for r in rows}
    graded = {"'-rf.py", "it's.py", 'say "hi".py', "a,b.py", "'=HYPERLINK(\"x\").py",
              "'@SUM(1).py", "x" * 247 + ".py"}
    assert {n: book[n]["score"] for n in graded} == {n: "19" for n in graded}
    refused = {r["submission"]: r["reason"] for r in rows if r["submission"] not in graded}
    assert refused == {
        "caf\\xe9.py": "refused: its name is not valid UTF-8; rename it and grade again",
        "new\\nline.py": "refused: its name has a control or invisible character; rename "
                         "it and grade again",
        "\\u202eyp.txt.py": "refused: its name has a control or invisible character; "
                            "rename it and grade again",
        "shadow.py": "refused: is a symbolic link (to /etc/shadow); backcheck grades only "
                     "files and folders themselves: copy the work in",
        "answers": refused.get("answers"), "cache": refused.get("cache"),
        "inside.py": refused.get("inside.py"),
        "pipe.py": "refused: is not a file or a folder"}
    assert all("symbolic link" in refused[n] for n in ("answers", "cache", "inside.py"))
    assert all(r["status"] == "crashed" and r["score"] == "0"
               for r in rows if r["submission"] in refused)
    leaked = "".join(p.read_text() for p in (out / "submissions").glob("*/report.md"))
    assert "root:" not in leaked and "class Linear" not in leaked
