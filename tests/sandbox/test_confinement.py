"""The walls, seen from inside: a probe submission reports what it can see and do."""

from __future__ import annotations

import glob
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pytest

from harness.sandbox import cgroup, confinement
from tests.sandbox.conftest import FIXTURES, HOSTILE, needs_fork, needs_root, sandboxed

pytestmark = needs_fork
PROBE = FIXTURES / "probe.py"


def probe_facts() -> tuple[str, ...]:
    return runpy.run_path(str(PROBE))["FACTS"]


@needs_root
def test_every_wall_holds_inside_the_child(monkeypatch):
    monkeypatch.setenv("BACKCHECK_PARENT_SECRET", "x")
    execution = sandboxed(PROBE, "Linear", processes=32)
    assert execution.outcomes
    for outcome in execution.outcomes.values():
        assert outcome.output is not None, outcome.error
        broken = [name for name, ok in zip(probe_facts(), outcome.output, strict=True)
                  if ok != 1.0]
        assert broken == []


def test_missing_walls_are_noted_exactly_when_not_root():
    execution = sandboxed(PROBE, "Linear", processes=32)
    missing = [n for n in execution.notes if "not enforced" in n]
    if os.geteuid() == 0 and not cgroup_available():
        assert missing and "real memory not capped" in missing[0]
        assert ";" not in missing[0]  # the memory cgroup is the only gap
    else:
        assert (missing == []) == (os.geteuid() == 0)


def cgroup_available() -> bool:
    mount = cgroup.hierarchy()
    return cgroup.parent(mount, mount and cgroup.own(mount)) is not None


def test_the_probe_detects_an_open_wall_in_process():
    """In this process the probe must see the reference, or the first test proves nothing."""
    probe = runpy.run_path(str(PROBE))
    facts = dict(zip(probe["FACTS"], probe["facts"](), strict=True))
    assert not facts["no_reference_source"]
    assert not facts["own_session"] or not facts["nobody"]


@needs_root
def test_reference_cannot_be_borrowed():
    execution = sandboxed(HOSTILE / "read_reference.py", "Linear")
    dw = [o.grads.get("W") for o in execution.outcomes.values()]
    assert dw and all(g is not None and not np.any(g) for g in dw)


def test_hidden_package_names_come_from_packages_only(tmp_path):
    package = tmp_path / "secret"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (tmp_path / "data").mkdir()
    names = confinement._package_names((str(package), str(tmp_path / "data")))
    assert names == ["secret"]


def test_library_paths_leave_scratch_space_out(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(tmp_path))
    paths = confinement._library_paths()
    assert paths and str(tmp_path.resolve()) not in paths


def test_a_library_under_a_private_folder_inside_a_public_one_is_reopened():
    base = tempfile.mkdtemp(dir="/var/tmp" if os.path.isdir("/var/tmp") else None)
    try:
        os.chmod(base, 0o755)
        project = os.path.join(base, "project")
        site = os.path.join(project, ".tox", "py", "site-packages")
        os.makedirs(site)
        os.chmod(os.path.join(project, ".tox"), 0o700)
        plan = confinement.reopen_plan([project, site, os.path.join(site, "inner")])
        assert plan == {os.path.join(project, ".tox"): [site]}
    finally:
        shutil.rmtree(base)


def test_without_root_nothing_is_unshared_and_the_gap_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    walls = confinement.build(("/nonexistent/reference",), False, str(tmp_path))
    assert walls.enforced == [] and not walls.pid_namespace
    assert len(walls.missing) == 1 and "not root" in walls.missing[0]


def test_an_import_of_a_hidden_package_is_refused_by_the_finder():
    finder = confinement._HiddenFinder(("secretpkg",))
    for name in ("secretpkg", "secretpkg.sub"):
        try:
            finder.find_spec(name)
        except ModuleNotFoundError as exc:
            assert "hidden by backcheck" in str(exc)
        else:
            raise AssertionError(f"{name} was not refused")
    assert finder.find_spec("secretpkg_other") is None


def test_blocking_imports_takes_hidden_paths_off_sys_path(tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    pid = os.fork()
    if pid == 0:
        sys.path.insert(0, str(secret))
        confinement._block_imports(("secret",), (str(secret),))
        os._exit(0 if str(secret) not in sys.path else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0


TORCH_LINEAR = '''import numpy as np
import torch


class Linear:
    def __init__(self, W, b):
        self.W, self.b = torch.from_numpy(W), torch.from_numpy(b)

    def forward(self, x):
        self.x = torch.from_numpy(x)
        return (self.x @ self.W + self.b).numpy()

    def backward(self, dout):
        d = torch.from_numpy(dout)
        return {"x": (d @ self.W.T).numpy(), "W": (self.x.T @ d).numpy(),
                "b": d.sum(dim=0).numpy()}
'''


def _python_under_tmp(base: str) -> str:
    """This virtualenv hard-linked under ``base`` (in /tmp) with a copy of backcheck's
    tree beside it, its editable install pointed at the copy; its interpreter."""
    root = os.path.dirname(confinement._harness_dir())
    clone = os.path.join(base, "clone")
    for part in ("harness", "reference"):
        shutil.copytree(os.path.join(root, part), os.path.join(clone, part),
                        ignore=shutil.ignore_patterns("__pycache__"))
    venv = os.path.join(base, "venv")
    if subprocess.run(["cp", "-al", sys.prefix, venv], capture_output=True).returncode:
        pytest.skip("cannot hard-link the virtualenv under /tmp (another file system)")
    for path in glob.glob(os.path.join(venv, "lib", "python*", "site-packages", "*")):
        if "editable" in os.path.basename(path) or path.endswith("dist-info"):
            for name in glob.glob(os.path.join(path, "direct_url.json")) or [path]:
                _relink(name, root, clone)
    return os.path.join(venv, "bin", "python")


def _relink(path: str, old: str, new: str) -> None:
    """Rewrite a hard-linked text file as a new file (the original stays untouched)."""
    if not os.path.isfile(path):
        return
    with open(path) as source:
        text = source.read()
    os.unlink(path)
    with open(path, "w") as out:
        out.write(text.replace(old, new))


@needs_root
@pytest.mark.slow
@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="needs a virtualenv to copy")
def test_a_python_installed_under_tmp_grades_notebooks_and_torch_code():
    pytest.importorskip("torch")
    nbformat = pytest.importorskip("nbformat")
    base = tempfile.mkdtemp(prefix="backcheck-tmp-python-")
    try:
        python = _python_under_tmp(base)
        where = subprocess.run([python, "-c", "import harness, numpy, torch, nbformat; print("
                                "harness.__file__, numpy.__file__, torch.__file__, "
                                "nbformat.__file__)"], capture_output=True, text=True, cwd=base)
        assert all(p.startswith(base) for p in where.stdout.split()), where
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            (HOSTILE / "correct.py").read_text())])
        nbformat.write(notebook, os.path.join(base, "alice.ipynb"))
        with open(os.path.join(base, "bob.py"), "w") as out:
            out.write(TORCH_LINEAR)
        for name in ("alice.ipynb", "bob.py"):
            out = os.path.join(base, f"out-{name}")
            subprocess.run([python, "-m", "harness", "grade", os.path.join(base, name),
                            "--layers", "Linear", "--oracles", "fd", "--timeout", "60",
                            "--format", "json", "--out", out], cwd=base, capture_output=True)
            with open(os.path.join(out, "grade.json")) as report:
                grade = json.load(report)
            assert grade["status"] == "graded", (name, grade["reason"])
            messages = {c["message"] for c in grade["checks"] if c["verdict"] != "pass"}
            assert messages == set(), (name, messages)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_virtualenv_inside_a_hidden_checkout_stays_on_sys_path(tmp_path):
    tree = tmp_path / "checkout"
    site = tree / ".venv" / "lib" / "python3" / "site-packages"
    site.mkdir(parents=True)
    (tree / "tests").mkdir()
    hidden = (str(tree), str(site / "reference"))
    assert not confinement._off_path(str(site), hidden)
    assert confinement._off_path(str(tree), hidden)
    assert confinement._off_path(str(tree / "tests"), hidden)
    assert confinement._off_path(str(site / "reference"), hidden)
