"""The report registry: every format one function ``(graded, view) -> str``, one file."""

from __future__ import annotations

import inspect
import json

from harness import reports


def test_every_format_has_a_file_and_one_signature():
    names = set(reports.registered())
    assert {"json", "gradescope", "junit", "html", "markdown"} <= names
    assert reports.formats()[0] == reports.TERMINAL
    assert len({reports.file_name(f) for f in names}) == len(names)
    for fmt in names:
        assert list(inspect.signature(reports.load(fmt)).parameters) == ["graded", "view"]


def test_write_reports_writes_each_chosen_format_and_the_view_reaches_it(buggy, tmp_path):
    view = reports.View({"rubric": "fixture"}, students=True, hidden="after_published")
    reports.write_reports(buggy, ["terminal", "json", "gradescope", "markdown"], tmp_path,
                          view)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grade.json", "report.md",
                                                          "results.json"]
    assert json.loads((tmp_path / "grade.json").read_text())["settings"] == view.settings
    visibilities = {t["visibility"] for t in
                    json.loads((tmp_path / "results.json").read_text())["tests"]}
    assert "after_published" in visibilities
