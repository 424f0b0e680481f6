"""JUnit XML, Markdown, the CSV gradebook, JSON and the terminal, from the same grades."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rich.console import Console

from harness.points import pair
from harness.reports import csv as gradebook
from harness.reports import json as json_report
from harness.reports import junit, markdown, terminal


def test_junit_names_the_failing_layer_and_quantity(buggy):
    root = ET.fromstring(junit.render(buggy.grade))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"Linear", "ReLU", "Sigmoid", "MSELoss"}
    linear = suites["Linear"]
    failed = [c for c in linear.iter("testcase") if c.find("failure") is not None]
    assert failed and all("-dW-" in c.get("name") for c in failed)
    assert int(linear.get("failures")) == len(failed)
    assert "transposed" in failed[0].find("failure").get("message")
    assert suites["ReLU"].get("failures") == "0"


def test_markdown_has_score_table_and_what_to_fix(buggy):
    text = markdown.render(buggy.grade)
    assert text.startswith("## ❌ backcheck: ")
    assert "| Linear |" in text and "### What to fix" in text
    assert "**Linear dW**" in text and "transposed" in text


def test_markdown_for_students_hides_hidden_results(buggy):
    text = markdown.render(buggy.grade, students=True)
    assert "(hidden)" not in text and "For the instructor" not in text
    assert "**Sigmoid dx**" in text
    assert "points on the visible checks" in text and "Hidden checks worth" in text


def test_gradebook_rows(graded_class):
    grades = [json_report.grade_dict(g.grade) for g in graded_class.values()]
    rows = list(csv.DictReader(io.StringIO(gradebook.render(reversed(grades)))))
    assert [r["submission"] for r in rows] == sorted(graded_class)
    correct = next(r for r in rows if r["submission"] == "correct.py")
    assert correct["score"] == correct["max_score"] == "19"
    partial = next(r for r in rows if r["submission"] == "partial.py")
    assert partial["Sigmoid"] == "0" and "not implemented" in partial["problems"]


def test_grade_json_is_stable_and_documented_keys(buggy):
    data = json_report.grade_dict(buggy.grade, {"rubric": "fixture-course"})
    text = json_report.dumps(data)
    again = json.loads(text)
    assert again["schema"] == "backcheck.grade" and again["schema_version"] == 1
    assert set(json_report.stable(again)) == set(again) - {"timing"}
    assert again["score"] == round(float(buggy.grade.points), 6) == 14.142857
    first = again["layers"][0]["tests"][0]
    assert set(first) == {"name", "quantity", "visible", "score", "max_score", "passed",
                          "items"}
    assert json_report.dumps(json.loads(text)) == text


def test_terminal_shows_points_and_hints(buggy):
    console = Console(record=True, width=200)
    terminal.render_grade(buggy.grade, console)
    text = console.export_text()
    assert "Linear" in text and "0 / 2.86" in text and "transposed" in text
    assert "score 14.14 / 19" in text


def test_every_report_renders_a_submission_that_was_not_graded():
    from harness import rubric
    from harness.grading import crashed
    from harness.reports import gradescope, html

    grade = crashed("dave.py", rubric.load(), "timed out after 120 s")
    assert "timed out" in markdown.render(grade)
    assert "timed out" in ET.fromstring(junit.render(grade)).find(".//error").get("message")
    assert gradescope.to_dict(grade)["score"] == 0
    assert json_report.grade_dict(grade)["status"] == "crashed"
    assert "Not graded: timed out" in html.render(grade)
    row = list(csv.DictReader(io.StringIO(gradebook.render([json_report.grade_dict(grade)]))))
    assert row[0]["reason"] == "timed out after 120 s" and row[0]["score"] == "0"


@pytest.mark.parametrize("report", ["terminal", "markdown", "html"])
def test_student_reports_total_only_the_visible_checks(buggy, report):
    from harness.reports import html

    full, view = buggy.grade, buggy.grade.for_students()
    if report == "terminal":
        console = Console(record=True, width=200)
        terminal.render_grade(full, console, students=True)
        text = console.export_text()
    else:
        text = markdown.render(full, True) if report == "markdown" else html.render(full,
                                                                                   students=True)
    assert pair(view.points, view.max_points) in text and "(hidden)" not in text
    assert pair(full.points, full.max_points) not in text and "14.14" not in text
    assert "Sigmoid dx case 2" not in text  # a hidden failure


def test_a_perfect_grade_reads_full_marks_in_green(graded_class):
    console = Console(record=True, width=200, force_terminal=True, color_system="standard")
    terminal.render_grade(graded_class["correct.py"].grade, console)
    assert "score 19 / 19" in console.export_text(clear=False)
    styled = console.export_text(styles=True)
    assert "\x1b[32mscore" in styled and "\x1b[31mscore" not in styled
    assert markdown.render(graded_class["correct.py"].grade).startswith(
        "## ✅ backcheck: 19 / 19 points")


def test_code_that_never_loaded_was_graded_and_ran_nothing(tmp_path):
    from harness import engine, grading, rubric, specs
    from harness.reports import html
    from harness.target import Target

    path = tmp_path / "eve.py"
    path.write_text("def forward(x)\n    return x\n")
    result = engine.check(Target(str(path)), specs.select(["Linear"]), ["float64"], ["fd"])
    grade = grading.grade(result, rubric.load().restrict(["Linear"]))
    for text in (markdown.render(grade), html.render(grade)):
        assert "Nothing ran" in text and "SyntaxError" in text and "Not graded" not in text
    assert json_report.grade_dict(grade)["status"] != "crashed"
