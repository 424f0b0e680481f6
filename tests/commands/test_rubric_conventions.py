"""The rubric's class-wide settings reach ``grade`` and ``batch``: its ``adapter`` and
``cases`` (the command line overrides them), and ``[default] unsupported``, which awards
an unsupported case's points or leaves them out of the maximum in every report."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from harness import catalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ONEHOT = FIXTURES / "messages" / "onehot_loss.py"
COURSE = FIXTURES / "rubrics" / "onehot-course.toml"
QUILL = FIXTURES / "submissions" / "loading" / "quill" / "quill.py"
AWARD = FIXTURES / "submissions" / "loading" / "rubric_conv.toml"
EXCLUDE = FIXTURES / "rubrics" / "quill-exclude.toml"
DOCS = FIXTURES.parents[1] / "docs" / "adapters.md"
FAST = ("--oracles", "fd", "--dtype", "float64")
EVERY = "json,gradescope,junit,markdown,html"


def quill_expresses(variant: dict) -> bool:
    """The docs' quill adapter's ``supports``: square kernels, no padding."""
    kernel = variant.get("kernel", (3, 3))
    return len(set(kernel)) == 1 and variant.get("padding", 0) == 0


CONV2D = catalog.specs()["Conv2d"].variants
KEPT = sum(map(quill_expresses, CONV2D))
EXCLUDED_MAX = round(4 + 4 * KEPT / len(CONV2D), 2)
"""Linear's 4 points and the share of Conv2d's 4 that quill's cases carry."""


def grade_json(cli, out: Path, *args) -> dict:
    run = cli("grade", *args, *FAST, "--format", "json", "--out", out)
    assert (out / "grade.json").exists(), run.out + run.err
    return json.loads((out / "grade.json").read_text())


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_grade_uses_the_rubric_adapter_and_cases(cli, tmp_path, isolation):
    grade = grade_json(cli, tmp_path / "o", ONEHOT, "--rubric", COURSE, "--isolation", isolation)
    assert grade["score"] == grade["max_score"] == 3, grade["problems"]
    assert grade["adapter"] == "classes"
    assert {c["case"] for c in grade["checks"]} == {1, 2}


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_check_uses_the_rubric_adapter_and_cases_as_grade_does(cli, isolation):
    flags = (ONEHOT, "--layers", "CrossEntropy", *FAST, "--isolation", isolation, "--json")
    checked = cli("check", *flags, "--rubric", COURSE)
    assert checked.code == 0, checked.out[-2000:]
    result = json.loads(checked.out)
    assert result["adapter"] == "classes"
    assert {c["case"] for c in result["checks"]} == {1, 2}
    assert result["notes"][:2] == ["onehot-course.toml: adapter classes:CrossEntropy.targets="
                                   "onehot", "onehot-course.toml: only the cases CrossEntropy:N>1"]
    assert cli("check", *flags).code == 1


def test_what_the_command_line_replaced_of_the_rubric_is_said(cli):
    checked = cli("check", ONEHOT, "--layers", "CrossEntropy", *FAST, "--json", "--rubric",
                  COURSE, "--cases", "CrossEntropy:N=1", "--adapter", "classes:targets=onehot")
    notes = json.loads(checked.out)["notes"]
    assert "--cases replaced onehot-course.toml's cases (CrossEntropy:N>1)" in notes
    assert ("the command line's adapter replaced onehot-course.toml's "
            "(classes:CrossEntropy.targets=onehot)") in notes


def test_the_command_line_overrides_the_rubric_adapter_and_cases(cli, tmp_path):
    plain = grade_json(cli, tmp_path / "a", ONEHOT, "--rubric", COURSE, "--isolation", "none",
                       "--adapter", "classes")
    assert plain["score"] == 0
    one = grade_json(cli, tmp_path / "b", ONEHOT, "--rubric", COURSE, "--isolation", "none",
                     "--cases", "CrossEntropy:N=1")
    assert {c["case"] for c in one["checks"]} == {0}
    assert one["score"] == one["max_score"] == 3


def test_batch_grades_the_class_with_the_rubric_adapter(cli, tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copyfile(ONEHOT, folder / "ada.py")
    run = cli("batch", folder, "--rubric", COURSE, *FAST, "--out", tmp_path / "o")
    assert run.code == 0, run.out + run.err
    row = next(csv.DictReader((tmp_path / "o" / "gradebook.csv").open()))
    assert (row["score"], row["max_score"]) == ("3", "3"), row


def quill_adapter(tmp_path: Path) -> Path:
    """The adapter file of docs/adapters.md, whose quill expresses the square, unpadded
    Conv2d cases only."""
    block = re.search(r"```python\n(# quill_adapter\.py.*?)```", DOCS.read_text(), re.S)
    path = tmp_path / "quill_adapter.py"
    path.write_text(block[1])
    return path


@pytest.mark.parametrize(("rubric", "maximum", "flag"), [
    (AWARD, 8, "unsupported, not charged"),
    (EXCLUDE, EXCLUDED_MAX, "unsupported, excluded from the maximum"),
])
def test_unsupported_cases_are_awarded_or_excluded_in_every_report(cli, tmp_path, rubric,
                                                                   maximum, flag):
    out = tmp_path / "out"
    run = cli("grade", QUILL, "--adapter-file", quill_adapter(tmp_path), "--rubric", rubric,
              *FAST, "--isolation", "none", "--format", f"terminal,{EVERY}", "--out", out)
    assert f"score {maximum:g} / {maximum:g}" in run.out and flag in " ".join(run.out.split())
    grade = json.loads((out / "grade.json").read_text())
    assert grade["score"] == grade["max_score"] == pytest.approx(maximum, abs=0.01)
    items = [i for layer in grade["layers"] for t in layer["tests"] for i in t["items"]]
    unsupported = 4 * (len(CONV2D) - KEPT)
    assert sum(i["excluded"] for i in items) == (unsupported if rubric == EXCLUDE else 0)
    assert all(flag in f for f in grade["flags"])
    gradescope = json.loads((out / "results.json").read_text())
    assert gradescope["score"] == pytest.approx(maximum, abs=0.01)
    assert sum(t["max_score"] for t in gradescope["tests"]) == pytest.approx(maximum, abs=0.01)
    assert any(flag in f for f in gradescope["extra_data"]["flags"])
    for report in ("junit.xml", "report.md", "report.html"):
        assert flag in (out / report).read_text(), report


def test_batch_gradebook_has_the_excluded_maximum(cli, tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copyfile(QUILL, folder / "quill.py")
    run = cli("batch", folder, "--rubric", EXCLUDE, "--adapter-file", quill_adapter(tmp_path),
              *FAST, "--out", tmp_path / "o")
    assert run.code == 0, run.out + run.err
    row = next(csv.DictReader((tmp_path / "o" / "gradebook.csv").open()))
    assert float(row["score"]) == float(row["max_score"]) == pytest.approx(EXCLUDED_MAX, abs=0.01)
    assert int(row["flags"]) == 4 * (len(CONV2D) - KEPT), row


PYTHON2 = FIXTURES / "book" / "network_python2.py"
PORT = FIXTURES.parents[1] / "benchmarks" / "adapters" / "python2.py"


def python2_course(folder: Path, adapter_file: str = "python2.py", extra: str = "") -> Path:
    """A course rubric beside its adapter file, which ports the class's Python 2 code."""
    folder.mkdir()
    shutil.copyfile(PORT, folder / "python2.py")
    rubric = folder / "course.toml"
    rubric.write_text(f'version = 1\nname = "book-course"\nlayers = ["SigmoidNet"]\n'
                      f'adapter_file = "{adapter_file}"\n{extra}')
    return rubric


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_the_rubric_adapter_file_serves_grade_and_check(cli, tmp_path, isolation):
    rubric = python2_course(tmp_path / "course")
    grade = grade_json(cli, tmp_path / "o", PYTHON2, "--rubric", rubric, "--isolation", isolation)
    assert grade["score"] == grade["max_score"] > 0, grade["problems"]
    assert grade["adapter"] == "book"
    checked = cli("check", PYTHON2, "--rubric", rubric, "--layers", "SigmoidNet", *FAST,
                  "--isolation", isolation)
    assert checked.code == 0, checked.out[-1500:]


@pytest.mark.parametrize(("adapter_file", "extra", "words"), [
    ("missing.py", "", "adapter_file = 'missing.py': no such file"),
    ("python2.py", 'adapter = "classes"\n', "adapter and adapter_file exclude each other"),
])
def test_a_bad_rubric_adapter_file_is_one_line_naming_the_rubric(cli, tmp_path, adapter_file,
                                                                  extra, words):
    rubric = python2_course(tmp_path / "course", adapter_file, extra)
    run = cli("grade", PYTHON2, "--rubric", rubric, *FAST, "--isolation", "none",
              "--out", tmp_path / "o")
    assert run.code == 3 and words in run.err and "course.toml" in run.err, run.err
    assert "Traceback" not in run.err
