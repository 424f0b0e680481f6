"""Choosing the loader: what is bad input (exit 3) and what is a graded submission."""

from __future__ import annotations

import pytest

from harness.errors import EXIT_BAD_INPUT, BackcheckError
from harness.loaders import load


def test_a_path_that_does_not_exist_is_bad_input(tmp_path):
    with pytest.raises(BackcheckError) as caught:
        load(str(tmp_path / "nope.py"))
    assert caught.value.exit_code == EXIT_BAD_INPUT
    assert "no such file, directory or module" in str(caught.value)


def test_an_unsupported_file_type_is_bad_input(tmp_path):
    path = tmp_path / "answers.txt"
    path.write_text("hello")
    with pytest.raises(BackcheckError, match=r"cannot check a \.txt file"):
        load(str(path))


def test_each_kind_goes_to_its_loader(loading):
    assert load(str(loading / "package")).name == "package/"
    assert load(str(loading / "latin1.py")).name == "latin1.py"
    assert load("reference.linear").name == "reference.linear"


def test_a_folder_holding_only_a_notebook_loads_the_notebook(tmp_path):
    import nbformat

    cell = nbformat.v4.new_code_cell("class ReLU:\n    pass")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), str(tmp_path / "hw.ipynb"))
    submission = load(str(tmp_path))
    assert submission.name == "hw.ipynb" and "ReLU" in submission.namespace
