"""The template notebook is exactly what the generator makes from the module."""

from __future__ import annotations

import nbformat
from build_notebook import NOTEBOOK, build

from harness.specs import CATALOG


def _cells(notebook):
    return [(c.cell_type, c.source, c.get("metadata", {}).get("tags", []))
            for c in notebook.cells]


def test_the_committed_notebook_matches_the_module():
    committed = nbformat.read(NOTEBOOK, as_version=4)
    assert _cells(committed) == _cells(build()), (
        "student_template/backprop.ipynb is stale: run "
        "python tests/student_template/build_notebook.py")


def test_one_markdown_and_one_code_cell_per_layer():
    cells = build().cells
    headings = [c.source.splitlines()[0] for c in cells if c.cell_type == "markdown"][1:]
    assert len(headings) == len(CATALOG)
    assert headings[0] == "## Linear" and headings[-1] == "## XORNet"
    code = [c for c in cells if c.cell_type == "code"]
    assert code[-1].metadata["tags"] == ["skip"]
    assert nbformat.validate(build()) is None
