"""Submissions graded side by side cannot hurt each other: each sandbox runs as a uid
of its own, so a fork bomb uses up only its own process limit."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from harness import cli

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork"),
    pytest.mark.skipif(os.geteuid() != 0, reason="distinct uids need root"),
    pytest.mark.slow,
]

HERE = Path(__file__).parent


def test_a_fork_bomb_does_not_starve_the_submission_beside_it(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(HERE / "submissions" / "fork_bomb.py", folder / "a_fork_bomb.py")
    shutil.copy(HERE / "neighbours" / "forks_politely.py", folder / "b_forks_politely.py")
    out = tmp_path / "out"
    code = cli.main(["batch", str(folder), "--layers", "Linear", "--oracles", "fd",
                     "--adapter", "native", "--timeout", "8", "--dtype", "float64",
                     "-j", "2", "--out", str(out), "--format", "json"])
    with open(out / "gradebook.csv") as book:
        rows = {row["submission"]: row for row in csv.DictReader(book)}
    assert code == 0
    assert rows["a_fork_bomb.py"]["Linear"] in ("0", "1")
    polite = rows["b_forks_politely.py"]
    assert polite["score"] == polite["max_score"], polite
