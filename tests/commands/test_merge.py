"""``backcheck merge``: shards of a class join into the gradebook of a full run."""

from __future__ import annotations

import csv
import json
import shutil

from harness.reports.json import stable


def batch(runner, course, out, *extra):
    return runner("batch", course / "submissions", "--rubric", course / "rubric.toml",
                     "--oracles", "fd", "--out", out, *extra)


def gradebook(out) -> list[str]:
    with open(out / "gradebook.csv", newline="") as handle:
        return [row["submission"] for row in csv.DictReader(handle)]


def grades(out) -> dict[str, dict]:
    return {p.parent.name: stable(json.loads(p.read_text()))
            for p in sorted((out / "submissions").glob("*/grade.json"))}


def test_shards_merge_into_the_full_gradebook(cli, course, tmp_path):
    full, one, two, merged = (tmp_path / n for n in ("full", "one", "two", "merged"))
    batch(cli, course, full)
    batch(cli, course, one, "--shard", "1/2")
    batch(cli, course, two, "--shard", "2/2")
    assert gradebook(one) == ["buggy.py", "crashing.py"]
    assert gradebook(two) == ["correct.py", "partial.py"]
    run = cli("merge", one, two, "--out", merged)
    assert run.code == 0, run.err
    assert (merged / "gradebook.csv").read_text() == (full / "gradebook.csv").read_text()
    assert grades(merged) == grades(full)


def test_merge_refuses_parts_graded_differently(cli, course, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    batch(cli, course, one, "--shard", "1/2")
    batch(cli, course, two, "--shard", "2/2", "--salt", "x")
    run = cli("merge", one, two, "--out", tmp_path / "m")
    assert run.code == 3 and "different settings" in run.err
    assert cli("merge", tmp_path / "nothing", "--out", tmp_path / "m").code == 3


def test_merge_leaves_out_folders_a_batch_was_still_writing(cli, course, tmp_path):
    one, two, merged = tmp_path / "one", tmp_path / "two", tmp_path / "merged"
    batch(cli, course, one, "--shard", "1/2", "--isolation", "none")
    batch(cli, course, two, "--shard", "2/2", "--isolation", "none")
    half = two / "submissions" / ".partial-999999999-x"
    shutil.copytree(two / "submissions" / "correct.py", half)
    (half / "grade.json").write_text('{"submission": "ghost.py", "settings": {}}')
    assert cli("merge", one, two, "--out", merged).code == 0
    assert gradebook(merged) == ["buggy.py", "correct.py", "crashing.py", "partial.py"]
    assert sorted(p.name for p in (merged / "submissions").iterdir()) == [
        "buggy.py", "correct.py", "crashing.py", "partial.py"]
