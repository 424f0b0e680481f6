"""``grade`` and ``batch`` on a class that mixes Python and Rust submissions."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from programs import EXAMPLES

from harness import cli

HOSTILE = Path(__file__).resolve().parents[1] / "hostile" / "submissions"
OPTIONS = ["--layers", "Linear,ReLU,RegressionMLP", "--oracles", "fd", "--timeout", "60"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed")]


@pytest.fixture
def klass(tmp_path) -> Path:
    """alice.py (Python: Linear and ReLU), bob/ (the corrected Rust network) and carol/
    (the seed's network as written)."""
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(HOSTILE / "correct.py", folder / "alice.py")
    shutil.copytree(EXAMPLES / "rust" / "seed-network-fixed", folder / "bob")
    shutil.copytree(EXAMPLES / "rust" / "seed-network", folder / "carol")
    return folder


def test_grade_scores_a_rust_submission_in_the_sandbox(klass, tmp_path, capsys):
    out = tmp_path / "out"
    code = cli.main(["grade", str(klass / "bob"), *OPTIONS, "--format", "json", "--out",
                     str(out)])
    assert "Traceback" not in capsys.readouterr().err
    report = json.loads((out / "grade.json").read_text())
    assert code == 0
    assert report["adapter"] == "protocol"
    network = [c for c in report["checks"] if c["layer"] == "RegressionMLP"]
    assert network and {c["verdict"] for c in network} == {"pass"}


def test_batch_grades_python_and_rust_side_by_side(klass, tmp_path, capsys):
    out = tmp_path / "out"
    code = cli.main(["batch", str(klass), *OPTIONS, "--out", str(out), "-j", "2"])
    assert "Traceback" not in capsys.readouterr().err
    assert code == 0
    with open(out / "gradebook.csv", newline="") as handle:
        rows = {row["submission"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"alice.py", "bob", "carol"}
    assert float(rows["alice.py"]["Linear"]) > 0 and float(rows["alice.py"]["RegressionMLP"]) == 0
    assert float(rows["bob"]["RegressionMLP"]) > float(rows["carol"]["RegressionMLP"]), rows
    assert float(rows["bob"]["Linear"]) == 0
    assert all(row["status"] == "graded" for row in rows.values())
