"""A layer not found says which parts of the code failed to load, whatever the loader,
so nobody hunts for a class that is written in a module that never imported."""

from __future__ import annotations

import json

import nbformat
import pytest

from harness.cli import main
from harness.loaders import load_directory, load_file, load_notebook
from harness.submission import Submission

MISSING_MODULE = "needs module 'scipy_not_installed', which is not installed here"
CONV = """import numpy as np
import scipy_not_installed


class Conv2d:
    def forward(self, x):
        return x
"""
LINEAR = """class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b
"""


@pytest.fixture
def mylib(tmp_path):
    """A library folder whose conv.py imports a module that is not installed."""
    folder = tmp_path / "mylib"
    folder.mkdir()
    (folder / "conv.py").write_text(CONV)
    (folder / "linear.py").write_text(LINEAR)
    return folder


def checked(path, *options, monkeypatch, capsys) -> dict:
    """``backcheck check PATH --json`` in this process, as parsed JSON."""
    monkeypatch.chdir(path.parent)
    main(["check", str(path), "--oracles", "fd", "--dtype", "float64", "--json", *options])
    return json.loads(capsys.readouterr().out)


def test_a_layer_of_a_module_that_failed_to_import_says_so(mylib):
    submission = load_directory(str(mylib))
    assert submission.failed == [f"conv.py failed to import: {MISSING_MODULE}"]
    assert submission.undefined("Conv2d") == (
        f"Conv2d is not defined in mylib/ (conv.py failed to import: {MISSING_MODULE})")


def test_a_folder_that_loaded_whole_says_only_not_defined(mylib):
    (mylib / "conv.py").unlink()
    submission = load_directory(str(mylib))
    assert submission.failed == []
    assert submission.undefined("Conv2d") == "Conv2d is not defined in mylib/"


def test_a_failing_package_init_is_listed(mylib):
    (mylib / "__init__.py").write_text("raise RuntimeError('half done')\n")
    submission = load_directory(str(mylib))
    assert submission.failed[0].startswith("__init__.py failed to import: raised RuntimeError")


def test_a_files_failing_statements_are_listed_by_line(tmp_path):
    path = tmp_path / "alice.py"
    path.write_text("import scipy_not_installed\n\nclass Conv2d(Base):\n    pass\n")
    message = load_file(str(path)).undefined("Conv2d")
    assert message.startswith(f"Conv2d is not defined in alice.py (line 1 failed: "
                              f"{MISSING_MODULE}; line 3 failed: raised NameError")


def test_an_exit_while_loading_is_listed(tmp_path):
    path = tmp_path / "bob.py"
    path.write_text("import sys\nsys.exit(2)\n")
    assert load_file(str(path)).failed == ["line 2 failed: called sys.exit(2)"]


def test_a_notebook_cell_that_does_not_compile_is_listed(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"),
                      nbformat.v4.new_code_cell("class Conv2d(:\n    pass")]
    path = tmp_path / "hw.ipynb"
    nbformat.write(notebook, str(path))
    failed = load_notebook(str(path)).failed
    assert len(failed) == 1 and failed[0].startswith("cell 2 has a SyntaxError at line 1")


def test_many_failures_are_cut_to_a_few_and_counted():
    submission = Submission("lib/", "lib", failed=[f"m{i}.py failed to import: x"
                                                   for i in range(5)])
    message = submission.undefined("GRUCell")
    assert "m2.py failed" in message and "m3.py" not in message
    assert message.endswith("; and 2 more)")


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_check_tells_why_the_layer_was_not_found(mylib, isolation, monkeypatch, capsys):
    report = checked(mylib, "--layers", "Conv2d,Linear", "--isolation", isolation,
                     monkeypatch=monkeypatch, capsys=capsys)
    conv = {c["message"] for c in report["checks"] if c["layer"] == "Conv2d"}
    assert conv == {"not-implemented: Conv2d is not defined in mylib/ "
                    f"(conv.py failed to import: {MISSING_MODULE})"}
    assert any(MISSING_MODULE in note for note in report["notes"])
