"""Loading notebooks: code cells only, IPython syntax dropped, failing and skipped cells."""

from __future__ import annotations

import nbformat
import numpy as np
import pytest

from harness.loaders import load_notebook
from harness.loaders.notebook import python_source

RELU = """class ReLU:
    def forward(self, x):
        self.m = x > 0
        return x * self.m

    def backward(self, dout):
        return {"x": dout * self.m}
"""


def _notebook(path, *cells):
    nb = nbformat.v4.new_notebook()
    for kind, source, tags in cells:
        maker = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = maker(source)
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nbformat.write(nb, str(path))
    return str(path)


@pytest.fixture
def homework(tmp_path):
    """Magics, a shell line, a failing cell, a skip-tagged cell and a bash cell magic."""
    return _notebook(
        tmp_path / "homework.ipynb",
        ("markdown", "# My homework\n%not a magic, just text", None),
        ("code", "%matplotlib inline\n!pip install nothing\nimport numpy as np", None),
        ("code", "%%time\nscale = 2.0", None),
        ("code", "undefined_name + 1", None),
        ("code", RELU, None),
        ("code", "raise SystemError('this cell is tagged skip')", ["skip"]),
        ("code", "%%bash\necho not python", None),
        ("code", "files = !ls\nnp.zeros?\nclass Tanh:\n    pass", None),
    )


def test_code_cells_run_in_order_and_ipython_lines_are_dropped(homework):
    submission = load_notebook(homework)
    assert not submission.error
    assert submission.namespace["scale"] == 2.0
    relu = submission.namespace["ReLU"]()
    assert relu.forward(np.array([-1.0, 1.0])).tolist() == [0.0, 1.0]
    assert "Tanh" in submission.namespace


def test_a_failing_cell_is_reported_by_number_and_a_skip_cell_never_runs(homework):
    notes = load_notebook(homework).notes
    assert notes == ["cell 3 raised NameError: name 'undefined_name' is not defined "
                     "(at homework.ipynb cell 3:1)"]


def test_a_cell_with_a_syntax_error_is_noted_and_the_others_run(tmp_path):
    path = _notebook(tmp_path / "py2.ipynb",
                     ("code", 'print "hello"', None), ("code", RELU, None))
    submission = load_notebook(path)
    assert "ReLU" in submission.namespace
    assert submission.notes[0].startswith("py2.ipynb cell 1 has a SyntaxError at line 1")
    assert "looks like Python 2" in submission.notes[0]


def test_a_missing_module_in_one_cell_leaves_the_definitions_usable(tmp_path):
    path = _notebook(tmp_path / "deps.ipynb",
                     ("code", "import numpy as np\nimport not_installed_anywhere", None),
                     ("code", RELU, None))
    submission = load_notebook(path)
    assert "cell 1 needs module 'not_installed_anywhere'" in submission.notes[0]
    assert "ReLU" in submission.namespace


def test_an_unreadable_notebook_is_a_submission_error(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json")
    assert "is not a readable notebook" in load_notebook(str(path)).error


@pytest.mark.parametrize(("source", "expected"), [
    ("%load_ext autoreload\nx = 1", "\nx = 1"),
    ("%%capture\ny = 2", "\ny = 2"),
    ("%%writefile a.py\nprint(1)", ""),
    ("if a != b:\n    pass", "if a != b:\n    pass"),
    ("ask = 'why?'", "ask = 'why?'"),
])
def test_python_source(source, expected):
    assert python_source(source) == expected


def test_checking_a_notebook_end_to_end(homework, capsys):
    import json

    from harness import cli

    code = cli.main(["check", homework, "--oracles", "fd", "--layers", "ReLU,Tanh",
                     "--dtype", "float64", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    verdicts = {(c["layer"], c["verdict"]) for c in report["checks"]}
    assert verdicts == {("ReLU", "pass"), ("Tanh", "missing")}
    assert report["notes"][0].startswith("cell 3 raised NameError")


def test_a_cell_that_exits_is_noted_by_name_and_cell(tmp_path):
    path = _notebook(tmp_path / "hw.ipynb", ("code", "import sys\nsys.exit(0)", None),
                     ("code", RELU, None))
    submission = load_notebook(path)
    assert "ReLU" in submission.namespace
    assert submission.notes == ["hw.ipynb called sys.exit(0) in cell 1 while loading; "
                                "the rest still loaded"]
