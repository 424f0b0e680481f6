"""Loading a single .py file: helpers next to it, and every way a file can be awkward."""

from __future__ import annotations

import numpy as np

from harness.loaders import load_file


def test_a_helper_next_to_the_file_is_importable(loading):
    submission = load_file(str(loading / "with_helper" / "main.py"))
    assert not submission.error
    relu = submission.namespace["ReLU"]()
    assert relu.forward(np.array([-1.0, 2.0])).tolist() == [0.0, 2.0]


def test_python2_code_is_an_error_that_says_so(loading):
    submission = load_file(str(loading / "python2.py"))
    assert "SyntaxError at line 5" in submission.error
    assert "looks like Python 2: a print statement" in submission.error


def test_an_empty_file_is_an_error(loading):
    assert load_file(str(loading / "empty.py")).error == "empty.py is empty"


def test_latin1_source_loads_with_a_note(loading):
    submission = load_file(str(loading / "latin1.py"))
    assert not submission.error
    assert "ReLU" in submission.namespace
    assert any("not valid UTF-8" in note for note in submission.notes)


def test_patching_numpy_is_undone_and_noted(loading):
    original = np.allclose
    submission = load_file(str(loading / "patches_numpy.py"))
    assert np.allclose is original
    assert not np.allclose(1.0, 2.0)
    note = next(n for n in submission.notes if "replaced" in n)
    assert "numpy.allclose" in note and "numpy.testing.assert_allclose" in note


def test_failures_at_import_are_notes_and_later_definitions_still_load(loading, capsys):
    submission = load_file(str(loading / "noisy_import.py"))
    assert not submission.error
    assert {"Tanh", "ReLU"} <= set(submission.namespace)
    notes = " | ".join(submission.notes)
    assert "needs module 'a_module_that_does_not_exist'" in notes
    assert "input() is not available" in notes
    assert "called sys.exit(0)" in notes
    assert "printed 3 lines while loading" in notes
    assert "made 1 matplotlib figures" in notes
    assert capsys.readouterr().out == ""


def test_a_statement_that_raises_is_noted_with_its_line(tmp_path):
    path = tmp_path / "raises.py"
    path.write_text("x = 1\nraise ValueError('boom')\n\nclass ReLU:\n    pass\n")
    submission = load_file(str(path))
    assert submission.notes == ["line 2 raised ValueError: boom (at raises.py:2)"]
    assert "ReLU" in submission.namespace


def test_future_imports_apply_to_every_statement(tmp_path):
    path = tmp_path / "future.py"
    path.write_text("from __future__ import annotations\n\ndef f(x: Undefined) -> None:\n"
                    "    return None\n")
    submission = load_file(str(path))
    assert not submission.notes and "f" in submission.namespace


def test_same_named_helpers_of_two_submissions_do_not_mix(tmp_path):
    for student, value in (("alice", 1.0), ("bob", 2.0)):
        folder = tmp_path / student
        folder.mkdir()
        (folder / "grading_helpers.py").write_text(f"SCALE = {value}\n")
        (folder / "main.py").write_text("from grading_helpers import SCALE\n")
    assert load_file(str(tmp_path / "alice" / "main.py")).namespace["SCALE"] == 1.0
    assert load_file(str(tmp_path / "bob" / "main.py")).namespace["SCALE"] == 2.0
