"""``backcheck grade`` through the CLI (in process, and once as a real subprocess): reports,
exit codes, salt, determinism."""

from __future__ import annotations

import json

import pytest

from harness.reports.json import stable

FAST = ("--oracles", "fd", "--isolation", "none")
ALL = "terminal,json,gradescope,junit,html,markdown"


def grade(runner, course, name, *extra):
    return runner("grade", course / "submissions" / name, "--rubric",
                     course / "rubric.toml", *FAST, *extra)


def test_every_format_is_written(backcheck, course, tmp_path):
    run = grade(backcheck, course, "buggy.py", "--format", ALL, "--out", tmp_path / "r")
    assert run.code == 0, run.err
    assert "score 14.14 / 19" in run.out and "transposed" in run.out
    names = {p.name for p in (tmp_path / "r").iterdir()}
    assert names == {"grade.json", "results.json", "junit.xml", "report.html", "report.md"}
    results = json.loads((tmp_path / "r" / "results.json").read_text())
    assert results["score"] == pytest.approx(14.142857)


def test_full_marks(cli, course, tmp_path):
    run = grade(cli, course, "correct.py", "--format", "json", "--out", tmp_path)
    assert run.code == 0, run.err
    assert json.loads((tmp_path / "grade.json").read_text())["score"] == 19


def test_same_submission_same_json(cli, course, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        grade(cli, course, "buggy.py", "--format", "json", "--out", out)
    a, b = (json.loads((d / "grade.json").read_text()) for d in (first, second))
    assert stable(a) == stable(b)
    assert a["timing"].keys() == {"seconds"}


def test_course_salt_changes_every_case_and_is_never_written(cli, course, tmp_path):
    seeds = {}
    for salt in ("", "winter-term"):
        out = tmp_path / (salt or "none")
        grade(cli, course, "correct.py", "--format", "json,gradescope,markdown",
              "--out", out, "--salt", salt)
        data = json.loads((out / "grade.json").read_text())
        seeds[salt] = {c["id"]: c["seed"] for c in data["checks"]}
        assert data["score"] == 19
        assert not any("winter-term" in p.read_text() for p in out.iterdir())
    assert seeds[""].keys() == seeds["winter-term"].keys()
    assert all(seeds[""][k] != seeds["winter-term"][k] for k in seeds[""])


def test_bad_rubric_is_one_line_with_exit_3(cli, course, tmp_path):
    rubric = tmp_path / "bad.toml"
    rubric.write_text("[layer.Linaer]\nout = 1\n")
    run = cli("grade", course / "submissions" / "correct.py", "--rubric", rubric, *FAST)
    assert run.code == 3
    assert run.err.count("\n") == 1 and "'Linaer'" in run.err and "Linear" in run.err


def test_unwritable_output_is_one_line_with_exit_3(cli, course, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    run = grade(cli, course, "correct.py", "--format", "json", "--out", blocker / "r")
    assert run.code == 3 and run.err.count("\n") == 1
    assert "cannot create output directory" in run.err and str(blocker) in run.err


def test_unknown_format_is_a_usage_error(cli, course):
    run = grade(cli, course, "correct.py", "--format", "pdf")
    assert run.code == 2 and "'pdf'" in run.err and "gradescope" in run.err


def test_missing_submission_is_bad_input_and_still_gets_a_report(cli, course, tmp_path):
    run = cli("grade", tmp_path / "nobody.py", "--rubric", course / "rubric.toml",
                    *FAST, "--format", "gradescope", "--out", tmp_path)
    assert run.code == 3 and len(run.err.splitlines()) == 1, run.err
    assert "nobody.py: no such file" in run.err and run.out == ""
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["score"] == 0 and "nobody.py" in results["output"]


@pytest.mark.slow
def test_default_isolation_is_the_sandbox(backcheck, course, tmp_path):
    run = backcheck("grade", course / "submissions" / "buggy.py", "--rubric",
                    course / "rubric.toml", "--oracles", "fd", "--format", "json",
                    "--out", tmp_path)
    assert run.code == 0, run.err
    assert json.loads((tmp_path / "grade.json").read_text())["score"] == pytest.approx(
        14.142857)


CONVENTIONS = ("classes:param_grads=per-sample,loss_grad=sum,activation_grad=local,"
               "channels_last=true,accumulate=true")
LIBRARY = ("--layers", "Linear,MSELoss", "--oracles", "fd", "--dtype", "float64")


def _score(out) -> tuple[float, float]:
    data = json.loads((out / "grade.json").read_text())
    return data["score"], data["max_score"]


def test_grade_reads_adapter_options_as_check_does(cli, fixtures, tmp_path):
    library = fixtures / "submissions" / "conventions" / "mylib.py"
    checked = cli("check", library, "--adapter", CONVENTIONS, *LIBRARY)
    assert checked.code == 0, checked.out
    graded = cli("grade", library, "--adapter", CONVENTIONS, *LIBRARY, "--isolation", "none",
                 "--format", "json", "--out", tmp_path / "g")
    assert graded.code == 0, graded.err
    score, best = _score(tmp_path / "g")
    assert score == best
    plain = cli("grade", library, *LIBRARY, "--isolation", "none", "--format", "json",
                "--out", tmp_path / "p")
    assert plain.code == 0 and _score(tmp_path / "p")[0] < best


@pytest.mark.slow
def test_grade_and_batch_stage_the_adapter_file_into_the_sandbox(cli, fixtures, tmp_path):
    folder = fixtures / "submissions" / "conventions"
    adapter = ("--adapter-file", folder / "mylib_adapter.py", "--timeout", "60",
               "--total-timeout", "300")
    graded = cli("grade", folder / "mylib.py", *adapter, *LIBRARY, "--isolation", "process",
                 "--format", "json", "--out", tmp_path / "g")
    assert graded.code == 0, graded.err
    score, best = _score(tmp_path / "g")
    assert score == best, (tmp_path / "g" / "grade.json").read_text()[:2000]
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "mylib.py").write_text((folder / "mylib.py").read_text())
    batch = cli("batch", tmp_path / "class", *adapter, *LIBRARY, "--isolation", "process",
                "--out", tmp_path / "b")
    assert batch.code == 0, batch.err
    assert _score(tmp_path / "b" / "submissions" / "mylib.py") == (best, best)


def test_empty_folder_is_one_line_and_exit_3(cli, course, tmp_path):
    (tmp_path / "empty").mkdir()
    run = cli("grade", tmp_path / "empty", "--rubric", course / "rubric.toml", *FAST)
    assert run.code == 3 and run.out == ""
    assert run.err.splitlines() == [run.err.strip()]
    assert "no Python file or notebook" in run.err


def test_a_corrupt_notebook_is_not_graded_and_says_why(cli, course, tmp_path):
    (tmp_path / "alice.ipynb").write_text("{ this is not json")
    run = cli("grade", tmp_path / "alice.ipynb", "--rubric", course / "rubric.toml", *FAST,
              "--format", "json", "--out", tmp_path / "r")
    assert run.code == 1, run.err
    data = json.loads((tmp_path / "r" / "grade.json").read_text())
    assert data["status"] != "graded" and data["score"] == 0
    assert "not a readable notebook" in data["reason"]
