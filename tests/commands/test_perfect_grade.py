"""The whole catalog's reference, graded with a rubric whose shares are thirds and
sevenths, scores exactly the maximum in every report format."""

from __future__ import annotations

import csv
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[2] / "reference"
THIRDS = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "thirds.toml"
FAST = ("--oracles", "fd", "--isolation", "none")


def test_the_reference_scores_exactly_the_maximum_everywhere(cli, tmp_path):
    out = tmp_path / "r"
    run = cli("grade", REFERENCE, "--rubric", THIRDS, *FAST, "--out", out, "--format",
              "terminal,json,gradescope,junit,html,markdown")
    assert run.code == 0, run.err
    data = json.loads((out / "grade.json").read_text())
    top = data["max_score"]
    assert top == int(top) > 50 and data["score"] == top
    assert all(t["score"] == t["max_score"] for layer in data["layers"] for t in layer["tests"])
    full = f"{top:g} / {top:g}"
    assert f"score {full}" in run.out
    results = json.loads((out / "results.json").read_text())
    assert results["score"] == top and f"{full} points" not in results["output"]
    assert all(t["score"] == t["max_score"] for t in results["tests"])
    suites = ET.fromstring((out / "junit.xml").read_text()).iter("testsuite")
    assert all(s.get("failures") == s.get("errors") == "0" for s in suites)
    assert (out / "report.md").read_text().startswith(f"## ✅ backcheck: {full} points\n")
    assert f"Score <b>{full}</b>" in (out / "report.html").read_text()


def test_the_reference_row_of_a_batch_is_full_marks(cli, tmp_path):
    shutil.copytree(REFERENCE, tmp_path / "class" / "reference",
                    ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "out"
    run = cli("batch", tmp_path / "class", "--rubric", THIRDS, *FAST, "--out", out,
              "--format", "json")
    assert run.code == 0, run.err
    with open(out / "gradebook.csv", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["score"] == row["max_score"] and float(row["score"]) > 50
    page = (out / "summary.html").read_text()
    assert f'<td class="pass">{row["score"]} / {row["max_score"]}</td>' in page
