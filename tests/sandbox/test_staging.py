"""The child's own copy of a submission: every format, from a folder it could not enter."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from harness.errors import BackcheckError
from harness.isolation import executor
from harness.sandbox import staging
from harness.sandbox.limits import Limits
from harness.target import Target
from tests.sandbox.conftest import HOSTILE, errors, jobs, needs_fork, sandboxed

SOURCE = (HOSTILE / "correct.py").read_text()


def test_a_file_is_copied_readable_and_removed_afterwards(tmp_path):
    (tmp_path / "alice.py").write_text(SOURCE)
    with staging.staged(Target(str(tmp_path / "alice.py"), "native")) as (staged, workdir):
        assert os.path.basename(staged.path) == "alice.py"
        assert staged.path.startswith(workdir + "/") and staged.adapter == "native"
        assert os.stat(staged.path).st_mode & 0o004
        assert Path(staged.path).read_text() == SOURCE
    assert not os.path.exists(workdir)


def test_module_names_and_missing_adapter_files_stay_as_given():
    with staging.staged(Target("some.module")) as (staged, _):
        assert staged.path == "some.module" and staged.adapter_file is None


def test_a_package_keeps_its_symlinks_as_links(tmp_path):
    package = tmp_path / "bob"
    package.mkdir()
    (package / "__init__.py").write_text(SOURCE)
    (package / "secret").symlink_to("/etc/shadow")
    with staging.staged(Target(str(package))) as (staged, _):
        assert os.path.islink(os.path.join(staged.path, "secret"))


def test_an_oversized_folder_is_bad_input(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "MAX_COPY_BYTES", 10)
    (tmp_path / "big").mkdir()
    (tmp_path / "big" / "data.bin").write_bytes(b"x" * 100)
    with pytest.raises(BackcheckError, match="larger than"), \
            staging.staged(Target(str(tmp_path / "big"))):
        pass


def notebook(path):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell("# layers"), nbformat.v4.new_code_cell(SOURCE)]
    nbformat.write(book, str(path))


def archive(path):
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("carol/layers.py", SOURCE)


def package(path):
    path.mkdir()
    (path / "__init__.py").write_text("from .layers import Linear, ReLU\n")
    (path / "layers.py").write_text(SOURCE)


@needs_fork
@pytest.mark.parametrize("name, make", [("dave.ipynb", notebook), ("erin.zip", archive),
                                        ("frank", package)])
def test_every_format_runs_sandboxed_from_a_private_folder(tmp_path, name, make):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    make(private / name)
    execution = sandboxed(private / name)
    assert errors(execution, "Linear") == errors(execution, "ReLU") == {""}
    assert execution.adapter == "native"


@needs_fork
def test_an_adapter_file_is_staged_too(tmp_path):
    shutil.copy(HOSTILE / "correct.py", tmp_path / "correct.py")
    adapter = tmp_path / "my_adapter.py"
    adapter.write_text("from harness.adapters.native import NativeAdapter\n\n"
                       "class Mine(NativeAdapter):\n    name = 'mine'\n\n\nADAPTER = Mine()\n")
    run = executor("process", Limits(timeout=5))
    execution = run(Target(str(tmp_path / "correct.py"), adapter_file=str(adapter)), jobs())
    assert execution.adapter == "mine"
    assert {str(o.error or "") for o in execution.outcomes.values()} == {""}
