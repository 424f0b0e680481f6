"""The same failure is said once with its count; a never-loaded submission once, at all."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from harness import engine, rubric
from harness.grading import grade
from harness.reports import html, markdown, terminal
from harness.specs import CATALOG
from harness.target import Target

MUTANT = Path(__file__).parents[1] / "diagnosis" / "mutants" / "linear_dw_transposed.py"


def run(path: Path):
    return engine.check(Target(str(path)), [CATALOG["Linear"]], ["float32", "float64"], ["fd"])


def printed(result) -> str:
    out = io.StringIO()
    terminal.render(result, Console(file=out, width=400))
    return out.getvalue()


def test_a_transposed_dw_is_said_once_across_dtypes_and_cases():
    text = printed(run(MUTANT))
    cases = len({c.case for c in run(MUTANT).checks})
    assert text.count("dW is transposed") == 1
    assert f"float32 and float64, {cases} / {cases} cases" in text
    assert "Computed in Linear.backward" in text


def test_markdown_says_where_the_failures_are():
    graded = grade(run(MUTANT), rubric.load(), "m.py")
    text = markdown.render(graded)
    assert "float32 and float64, 4 / 4 cases" in text and text.count("dW is transposed") == 1


def test_a_never_loaded_submission_says_its_reason_once(tmp_path: Path):
    path = tmp_path / "bad.py"
    path.write_text("def f(:\n")
    result = run(path)
    text = printed(result)
    assert text.count("SyntaxError") == 1 and "Linear-case0" not in text
    graded = grade(result, rubric.load(), "bad.py")
    md = markdown.render(graded)
    assert md.count("SyntaxError") == 1 and "| Linear |" not in md
    page = html.render(graded)
    assert page.count("SyntaxError") == 1
    assert '<img alt="plot"' not in page and "<table>" not in page
    assert not result.minimal
