"""examples/gradescope/run_autograder, run as Gradescope would, on a fake /autograder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "gradescope"


def autograde(tmp_path: Path, submission: Path | None, rubric: Path) -> dict:
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "submission").mkdir()
    shutil.copy(rubric, root / "source" / "rubric.toml")
    if submission is not None:
        shutil.copy(submission, root / "submission" / submission.name)
    environment = {**os.environ, "AUTOGRADER": str(root),
                   "BACKCHECK": str(Path(sys.executable).parent / "backcheck"),
                   "BACKCHECK_OPTIONS": "--oracles fd --isolation none --dtype float64"}
    done = subprocess.run(["bash", str(EXAMPLE / "run_autograder")], env=environment,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text())


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_run_autograder_writes_results_json(tmp_path, fixtures):
    results = autograde(tmp_path, fixtures / "class" / "submissions" / "buggy.py",
                        fixtures / "class" / "rubric.toml")
    assert results["score"] == pytest.approx(14.142857)
    assert {t["visibility"] for t in results["tests"]} == {"visible", "hidden"}


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_example_rubric_parses_and_an_empty_submission_scores_zero(tmp_path):
    results = autograde(tmp_path, None, EXAMPLE / "rubric.toml")
    assert results["score"] == 0 and results["tests"]
    assert {t["visibility"] for t in results["tests"]} == {"visible", "after_published"}
