"""No failing check is ever reported without words: in ``grade.json`` (every check's
``message``, every item's ``detail``), JUnit, the Markdown report and the terminal, for the
class fixture, the message fixtures and (slow) every one-bug mutant of the corpus."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rich.console import Console

from harness import rubric, specs
from harness.assessment import grade_one
from harness.plan import Plan
from harness.reports import json as json_report
from harness.reports import junit, markdown, terminal

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MESSAGES = sorted((FIXTURES / "messages").glob("*.py"))
MUTANTS = sorted((FIXTURES.parent / "diagnosis" / "mutants").glob("*.py"))
DECLARED = re.compile(r"backcheck-mutant: (\S+)")
LAYERS = {"onehot_loss": "CrossEntropy", "pool_argmax_assign": "MaxPool2d",
          "removed_alias": "ReLU", "py2_division": "MaxPool2d"}
MARKDOWN_FAILURE = re.compile(r"^- \*\*.+?\*\* \(.+?; first: case \d+, \w*\):(.*)$")
TERMINAL_FAILURE = re.compile(r"^\S+ \S+(?: \(hidden\))? case \d+ \w*(?: \(and \d+ more "
                              r"cases\))?:(.*)$")


def graded(path: Path, layer: str):
    course = rubric.load().restrict([layer])
    plan = Plan(str(path), specs=tuple(specs.select([layer])), dtypes=("float32", "float64"),
                oracles=("fd",), isolation="none", rubric=course)
    return grade_one(str(path), plan, plan.prepare()).grade


def wordless(grade) -> list[str]:
    """Every place a failing check is reported without a word, named."""
    data = json.loads(json_report.dumps(json_report.grade_dict(grade)))
    checks = grade.result.checks if grade.result else []
    empty = [f"json check {c['id']}" for check, c in zip(checks, data["checks"], strict=True)
             if not check.passed and not c["message"].strip()]
    empty += [f"json item {t['name']} case {i['case']}" for layer in data["layers"]
              for t in layer["tests"] for i in t["items"]
              if not i["passed"] and not i["detail"].strip()]
    lines = markdown.render(grade).splitlines()
    shown = [m.group(1) for line in lines if (m := MARKDOWN_FAILURE.match(line))]
    assert len(shown) == min(len([t for t in grade.tests if not t.passed]),
                             markdown.MAX_FAILURES)
    empty += [f"markdown line {n}" for n, text in enumerate(shown) if not text.strip()]
    root = ET.fromstring(junit.render(grade))
    empty += [f"junit {case.get('name')}" for case in root.iter("testcase")
              for bad in (case.find("failure"), case.find("error"))
              if bad is not None and not bad.get("message", "").strip()]
    console = Console(record=True, width=100_000)
    terminal.render_grade(grade, console)
    said = [m.group(1) for line in console.export_text().splitlines()
            if (m := TERMINAL_FAILURE.match(line))]
    empty += [f"terminal line {n}" for n, text in enumerate(said) if not text.strip()]
    return empty


def test_the_class_fixture_reports_every_failure_in_words(graded_class):
    for name, one in graded_class.items():
        assert not wordless(one.grade), name


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("path", MESSAGES, ids=[p.stem for p in MESSAGES])
def test_each_message_fixture_fails_in_words(path):
    grade = graded(path, LAYERS[path.stem])
    assert not grade.perfect
    assert not wordless(grade)


def test_a_plain_value_mismatch_has_the_terminal_paragraph_as_its_json_message():
    grade = graded(FIXTURES / "messages" / "pool_argmax_assign.py", "MaxPool2d")
    check = next(c for c in grade.result.checks if c.verdict == "fail")
    data = json_report.check_dict(check)
    assert data["message"] == check.comparison.describe()
    assert data["message"].startswith("mismatch: ") and "tolerance rtol=" in data["message"]
    assert data["message"] in check.explain()


def test_a_quantity_no_case_ran_on_says_so():
    from harness.grading import grade as weigh
    from harness.result import Result

    grade = weigh(Result("empty.py", "classes", []), rubric.load().restrict(["ReLU"]))
    assert [i.detail for t in grade.tests for i in t.items] == [
        "missing: no case of this quantity was run"] * 2
    assert not wordless(grade)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("path", MUTANTS, ids=[p.stem for p in MUTANTS])
def test_every_mutant_fails_in_words(path):
    grade = graded(path, DECLARED.search(path.read_text()).group(1))
    assert not grade.perfect, path.stem
    assert not wordless(grade), path.stem
