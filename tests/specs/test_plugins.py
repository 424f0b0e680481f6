"""Course layers: one file (``--spec-file``) or an entry point adds a layer to the catalog,
and every oracle, command and the pytest plugin then check it like a built-in one."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path
from types import SimpleNamespace

import pytest

from harness import engine
from harness.cache import spec_fingerprint
from harness.cli import main
from harness.errors import UsageError
from harness.plan import hidden_paths
from harness.specs import CATALOG, plugins
from harness.target import Target

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "course-layer"
SPEC_FILE = EXAMPLE / "rmsnorm.py"


@pytest.fixture(autouse=True)
def catalog():
    """The catalog and oracle tables as they were before the test, restored after it."""
    saved = dict(CATALOG)
    tables = {k: dict(v) for k, v in plugins._EXPRESSIONS.items()}
    files = dict(plugins._FROM_FILES)
    yield CATALOG
    CATALOG.clear()
    CATALOG.update(saved)
    for name, table in tables.items():
        plugins._EXPRESSIONS[name] = table
    plugins._FROM_FILES.clear()
    plugins._FROM_FILES.update(files)


def write(tmp_path: Path, text: str, name: str = "course.py") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_a_spec_file_adds_its_layer_and_its_oracle_expressions(catalog):
    [spec] = plugins.load_file(str(SPEC_FILE), catalog)
    assert catalog["RMSNorm"] is spec and list(catalog)[-1] == "RMSNorm"
    assert plugins.from_file(spec) and not plugins.from_file(catalog["Linear"])
    assert plugins.expression("RMSNorm", "TORCH") is not None
    assert plugins.expression("RMSNorm", "TENSORFLOW") is not None
    assert spec.reference_class().__name__ == "RMSNorm"


def test_loading_the_same_file_twice_replaces_it(catalog):
    first = plugins.load_file(str(SPEC_FILE), catalog)
    again = plugins.load_file(str(SPEC_FILE), catalog)
    assert [s.name for s in first] == [s.name for s in again] == ["RMSNorm"]
    assert list(catalog).count("RMSNorm") == 1


@pytest.mark.parametrize("oracles", [["fd"], ["fd", "torch"], ["fd", "tensorflow"]])
def test_every_oracle_checks_the_course_reference(catalog, oracles):
    for name in oracles[1:]:
        pytest.importorskip(name)
    plugins.load_file(str(SPEC_FILE), catalog)
    result = engine.check(Target(str(SPEC_FILE)), [catalog["RMSNorm"]],
                          ["float32", "float64"], oracles)
    assert result.checks and {c.oracle for c in result.checks} == set(oracles)
    assert all(c.verdict == "pass" for c in result.checks), [c.message for c in result.checks]


def test_a_one_bug_student_fails_only_the_gradient_it_got_wrong(catalog):
    plugins.load_file(str(SPEC_FILE), catalog)
    result = engine.check(Target(str(EXAMPLE / "buggy.py")), [catalog["RMSNorm"]],
                          ["float64"], ["fd"])
    failed = {c.quantity for c in result.checks if c.verdict != "pass"}
    assert failed == {"dx"}


def test_the_drawn_spec_pickles_without_its_file(catalog):
    [spec] = plugins.load_file(str(SPEC_FILE), catalog)
    copy = pickle.loads(pickle.dumps(spec))
    assert copy.name == spec.name and copy.wrt == spec.wrt and copy.draw.function is None
    with pytest.raises(RuntimeError, match="draws cases only"):
        copy.draw(None, {})
    assert spec.case(0, "float64").inputs["x"].shape == (1, 4)


def test_the_cache_key_changes_with_the_file(catalog, tmp_path):
    source = SPEC_FILE.read_text()
    [before] = plugins.load_file(write(tmp_path, source), catalog)
    edited = source.replace('"RMSNorm": _torch_rms_norm', '"RMSNorm": _torch_rms_norm, ')
    [after] = plugins.load_file(write(tmp_path, edited), catalog)
    assert spec_fingerprint(before) != spec_fingerprint(after)


def test_the_child_receives_an_outline_of_a_file_spec_never_its_draw(catalog):
    from harness import catalog as outlines
    from harness.sandbox.supervisor import Supervisor

    [spec] = plugins.load_file(str(SPEC_FILE), catalog)
    case = spec.case(0, "float32")
    supervisor = Supervisor.__new__(Supervisor)
    supervisor.pending = [(spec, case), (catalog["Linear"], catalog["Linear"].case(0, "float32"))]
    supervisor.staged = supervisor.limits = supervisor.workdir = supervisor.cpu = None
    supervisor.hidden = ()
    jobs = supervisor._request().jobs
    assert jobs[0][0] == outlines.outline(spec) and jobs[1][0].name == "Linear"
    assert not plugins.from_file(jobs[0][0])  # the file's draw function stays here


def test_spec_files_are_hidden_from_the_sandboxed_child():
    assert str(SPEC_FILE) in hidden_paths({"spec_file": [str(SPEC_FILE)]})


@pytest.mark.parametrize("text, error", [
    ("x = 1\n", "defines no SPECS"),
    ("raise ValueError('typo')\n", "the spec file raised ValueError: typo"),
    ("SPECS = (1,)\n", "SPECS holds a int, not a Spec"),
    ("from harness.specs.linear import LINEAR\nSPECS = (LINEAR,)\n",
     "layer 'Linear' is already in the catalog"),
    ("from harness.specs.linear import LINEAR\nfrom dataclasses import replace\n"
     "SPECS = (replace(LINEAR, name='L2', wrt=('x', 'V')),)\n", "has wrt names ['V']"),
    ("from harness.specs.linear import LINEAR\nfrom dataclasses import replace\n"
     "SPECS = (replace(LINEAR, name='L3'),)\nTORCH = {'L4': None}\n",
     "TORCH names 'L4', which SPECS lacks"),
])
def test_a_bad_spec_file_is_one_usage_error(catalog, tmp_path, text, error):
    with pytest.raises(UsageError, match=error.replace("(", r"\(").replace("[", r"\[")):
        plugins.load_file(write(tmp_path, text), catalog)


def test_a_missing_spec_file_is_one_usage_error(catalog, tmp_path):
    with pytest.raises(UsageError, match="cannot read the spec file"):
        plugins.load_file(str(tmp_path / "nowhere.py"), catalog)


def test_entry_points_add_course_modules(catalog, monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLE))
    monkeypatch.delitem(sys.modules, "rmsnorm", raising=False)
    point = EntryPoint("rmsnorm", "rmsnorm", plugins.GROUP)
    monkeypatch.setattr(plugins, "entry_points", lambda group: [point] if group == plugins.GROUP
                        else [])
    [spec] = plugins.load_entry_points(catalog)
    assert catalog["RMSNorm"] is spec and spec.reference == "rmsnorm.RMSNorm"
    assert not plugins.from_file(spec) and plugins.expression("RMSNorm", "TORCH")


def test_a_broken_entry_point_is_one_usage_error(catalog, monkeypatch):
    point = EntryPoint("gone", "no_such_course_package", plugins.GROUP)
    monkeypatch.setattr(plugins, "entry_points", lambda group: [point])
    with pytest.raises(UsageError, match="cannot import no_such_course_package"):
        plugins.load_entry_points(catalog)


@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    """``backcheck ARGS`` in this process: (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)

    def run(*args):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return SimpleNamespace(code=code, out=out, err=err)

    return run


def test_check_takes_a_spec_file(cli):
    run = cli("check", EXAMPLE / "buggy.py", "--spec-file", SPEC_FILE, "--oracles", "fd",
              "--layers", "RMSNorm", "--json")
    assert run.code == 1, run.err
    checks = json.loads(run.out)["checks"]
    assert {c["quantity"] for c in checks if c["verdict"] != "pass"} == {"dx"}


def test_a_bad_spec_file_on_the_command_line_is_one_line(cli, tmp_path):
    run = cli("check", "reference", "--spec-file", tmp_path / "nowhere.py")
    assert run.code == 2 and "cannot read the spec file" in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize("student, score", [("student.py", 10), ("buggy.py", 5)])
def test_grade_in_the_sandbox_uses_the_course_rubric(backcheck, tmp_path, student, score):
    out = tmp_path / "out"
    run = backcheck("grade", EXAMPLE / student, "--spec-file", SPEC_FILE, "--rubric",
                    EXAMPLE / "rubric.toml", "--oracles", "fd", "--format", "json",
                    "--out", out)
    assert run.code == 0, run.err
    graded = json.loads((out / "grade.json").read_text())
    assert graded["score"] == pytest.approx(score)
    assert graded["max_score"] == pytest.approx(10)


def test_the_pytest_plugin_takes_a_spec_file(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "--backcheck-impl", str(EXAMPLE / "buggy.py"), "--backcheck-spec-file", str(SPEC_FILE),
         "--backcheck-layers", "RMSNorm", "--backcheck-oracles", "fd",
         "--backcheck-dtype", "float64"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "BACKCHECK_CACHE": "off"})
    assert done.returncode == 1, done.stderr
    assert "3 failed, 6 passed" in done.stdout
    assert "backcheck::RMSNorm::test_gradient[RMSNorm-case0-dx-fd]" in done.stdout


def _course_outside_the_checkout(tmp_path: Path) -> tuple[Path, Path]:
    """The course spec copied where no checkout of backcheck is (those are hidden anyway),
    and a student RMSNorm that is correct only while it cannot read that file."""
    course = tmp_path / "course"
    course.mkdir()
    spec = course / "rmsnorm.py"
    spec.write_text(SPEC_FILE.read_text())
    student = tmp_path / "peeking.py"
    student.write_text((EXAMPLE / "student.py").read_text().replace(
        "        return self.gamma * x / self.rms",
        f"        leak = 2.0 if os.path.exists({str(spec)!r}) else 1.0\n"
        "        return leak * self.gamma * x / self.rms").replace(
        "import numpy as np", "import os\n\nimport numpy as np"))
    return spec, student


def test_a_sandboxed_check_hides_a_course_spec_file_from_the_student(backcheck, tmp_path):
    spec, student = _course_outside_the_checkout(tmp_path)
    fast = ("--spec-file", spec, "--layers", "RMSNorm", "--oracles", "fd", "--json")
    seen = backcheck("check", student, "--isolation", "none", *fast)
    hidden = backcheck("check", student, "--isolation", "process", *fast)
    assert seen.code == 1, seen.err  # in process the file is there: the probe works
    assert hidden.code == 0, hidden.out
    assert {c["verdict"] for c in json.loads(hidden.out)["checks"]} == {"pass"}


def test_the_plugin_in_the_sandbox_hides_a_course_spec_file(tmp_path):
    spec, student = _course_outside_the_checkout(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "--backcheck-impl", str(student), "--backcheck-spec-file", str(spec),
         "--backcheck-layers", "RMSNorm", "--backcheck-oracles", "fd",
         "--backcheck-dtype", "float64", "--backcheck-isolation", "process"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "BACKCHECK_CACHE": "off"})
    assert done.returncode == 0, done.stdout[-2000:]
    assert "9 passed" in done.stdout
