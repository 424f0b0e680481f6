"""Real libraries' layouts load and grade, in process and sandboxed, through check,
grade, batch and the pytest plugin: self-importing packages, plain folders, one module
per class, stored gradients (detection), ``--path``, adapter files with helpers, and
cases a library declares it cannot express."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from harness import adapters
from harness.errors import BackcheckError
from harness.loaders import load

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "submissions" / "loading"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "adapters.md"
RUBRIC = HERE / "rubric.toml"
FAST = ("--oracles", "fd", "--dtype", "float64")
TARGETS = {
    "self-importing package": (HERE / "tinynet", ()),
    "plain folder": (HERE / "flatlib", ()),
    "module per class": (HERE / "per_class_files", ()),
    "stored gradients": (HERE / "stored_grads.py", ()),
    "--path": (HERE / "uses_extra_lib.py", ("--path", HERE / "extra_lib")),
    "adapter file with helper": (HERE / "quill" / "quill.py",
                                 ("--adapter-file", HERE / "adapter_with_helper"
                                  / "quill_adapter.py")),
}
ISOLATIONS = ("none", "process")


def doc_adapter(tmp_path: Path) -> Path:
    """The adapter file of docs/adapters.md "Writing an adapter file", exactly."""
    block = re.search(r"```python\n(# quill_adapter\.py.*?)```", DOCS.read_text(), re.S)
    path = tmp_path / "quill_adapter.py"
    path.write_text(block[1])
    return path


def test_a_package_that_imports_itself_by_name_loads():
    submission = load(str(HERE / "tinynet"))
    assert not submission.error and not submission.notes
    assert {"Linear", "ReLU"} <= set(submission.namespace)


def test_a_plain_folder_runs_each_module_once():
    import sys

    submission = load(str(HERE / "flatlib"))
    assert not submission.error and not submission.notes
    assert sys.modules["mathops"].affine is submission.namespace["affine"]


def test_a_module_named_like_its_class_stands_for_the_class():
    for folder in ("per_class_files", "per_class_plain"):
        assert isinstance(load(str(HERE / folder)).namespace["ReLU"], type), folder


def test_native_leaves_a_same_named_class_returning_an_array_to_classes():
    adapter, detection = adapters.choose(load(str(HERE / "stored_grads.py")).namespace)
    assert adapter.name == "classes" and detection.layers == ("Linear", "ReLU")


def test_an_adapter_file_error_names_the_helper_and_its_line():
    path = HERE / "broken_adapter_helper" / "adapter.py"
    with pytest.raises(BackcheckError, match=r"glue_that_breaks\.py:3: .*NameError"):
        adapters.from_file(str(path))


def test_the_documented_adapter_file_is_at_most_30_lines(tmp_path):
    assert len(doc_adapter(tmp_path).read_text().splitlines()) <= 30


@pytest.mark.parametrize("isolation", ISOLATIONS)
@pytest.mark.parametrize("name", TARGETS)
def test_check_passes_every_layer(cli, name, isolation):
    path, options = TARGETS[name]
    run = cli("check", path, "--layers", "Linear,ReLU", *FAST, *options,
              "--isolation", isolation)
    assert run.code == 0, run.out + run.err
    assert "0 / " not in run.out and "checks passed" in run.out


@pytest.mark.parametrize("isolation", ISOLATIONS)
@pytest.mark.parametrize("name", TARGETS)
def test_grade_gives_full_marks(cli, tmp_path, name, isolation):
    path, options = TARGETS[name]
    run = cli("grade", path, "--rubric", RUBRIC, *FAST, *options, "--isolation", isolation,
              "--format", "json", "--out", tmp_path / "out")
    grade = json.loads((tmp_path / "out" / "grade.json").read_text())
    assert (grade["score"], grade["max_score"]) == (6, 6), run.out + run.err


@pytest.mark.parametrize("name", TARGETS)
def test_batch_gives_full_marks_sandboxed(cli, tmp_path, name):
    path, options = TARGETS[name]
    folder = tmp_path / "class"
    folder.mkdir()
    copy = folder / path.name
    (shutil.copytree if path.is_dir() else shutil.copyfile)(path, copy)
    run = cli("batch", folder, "--rubric", RUBRIC, *FAST, *options, "--out", tmp_path / "o")
    assert run.code == 0, run.out + run.err
    row = (tmp_path / "o" / "gradebook.csv").read_text().splitlines()[1]
    assert ",6," in row and ",6" in row, row


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_unsupported_cases_are_not_charged_and_listed(cli, tmp_path, isolation):
    out = tmp_path / "out"
    run = cli("grade", HERE / "quill" / "quill.py", "--adapter-file", doc_adapter(tmp_path),
              "--rubric", HERE / "rubric_conv.toml", *FAST, "--isolation", isolation,
              "--format", "json,junit,markdown,html", "--out", out)
    grade = json.loads((out / "grade.json").read_text())
    assert grade["score"] == grade["max_score"] == 8, run.out + run.err
    unsupported = [f for f in grade["flags"] if "unsupported, not charged" in f]
    assert unsupported and all(f.startswith("Conv2d") for f in unsupported)
    assert 'type="unsupported"' not in (out / "junit.xml").read_text()
    assert "<skipped message=\"case 1 float64 unsupported" in (out / "junit.xml").read_text()
    for report in ("report.md", "report.html"):
        assert "square kernels, no padding" in (out / report).read_text()


def test_check_lists_unsupported_cases_and_cases_selects_the_claimed_ones(cli, tmp_path):
    adapter = doc_adapter(tmp_path)
    quill = HERE / "quill" / "quill.py"
    run = cli("check", quill, "--adapter-file", adapter, "--layers", "Conv2d", *FAST)
    assert run.code == 0 and "unsupported, not charged: Conv2d case 1, 2, 3" in run.out
    only = cli("check", quill, "--adapter-file", adapter, "--layers", "Conv2d", *FAST,
               "--cases", "Conv2d:stride=1,padding=0", "--cases", "kernel=(3, 3),padding=0")
    assert only.code == 0 and "unsupported" not in only.out, only.out
    assert "4 / 4 checks passed" in only.out


def test_a_bad_cases_selector_is_one_line(cli):
    run = cli("check", HERE / "stored_grads.py", "--cases", "Conv2d:strde=1")
    assert run.code != 0 and "no variant has 'strde'" in run.err
    assert "Traceback" not in run.err
