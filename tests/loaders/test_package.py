"""Loading a directory (package or plain folder) or a module name."""

from __future__ import annotations

import shutil

import numpy as np

from harness.loaders import load_directory, load_module


def test_a_package_loads_with_relative_imports_and_subpackages(loading):
    submission = load_directory(str(loading / "package"))
    assert not submission.error
    assert {"Linear", "Tanh"} <= set(submission.namespace)
    layer = submission.namespace["Linear"](np.eye(2), np.zeros(2))
    assert layer.forward(np.ones((1, 2))).tolist() == [[1.0, 1.0]]


def test_a_module_that_fails_to_import_is_noted_and_the_rest_loads(loading):
    submission = load_directory(str(loading / "package"))
    assert any("broken.py needs module 'a_module_that_does_not_exist'" in n
               for n in submission.notes)


def test_a_plain_folder_loads_every_module_with_sibling_imports(loading):
    submission = load_directory(str(loading / "flat_dir"))
    assert not submission.error and not submission.notes
    assert "Sigmoid" in submission.namespace


def test_a_copy_of_the_template_is_loaded_not_the_installed_one(tmp_path):
    import student_template

    copy = tmp_path / "student_template"
    shutil.copytree(student_template.__path__[0], copy,
                    ignore=shutil.ignore_patterns("*.ipynb", "__pycache__"))
    layers = copy / "layers.py"
    layers.write_text(layers.read_text().replace(
        'raise NotImplementedError("ReLU.forward")', "return np.maximum(x, 0)"))
    relu = load_directory(str(copy)).namespace["ReLU"]()
    assert relu.forward(np.array([-1.0, 3.0])).tolist() == [0.0, 3.0]


def test_a_module_name_loads_the_module_and_its_submodules():
    submission = load_module("reference")
    assert not submission.error
    assert {"Linear", "Conv2d", "XORNet"} <= set(submission.namespace)


def test_a_module_that_cannot_import_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "needs_missing_dep.py").write_text("import not_installed_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    submission = load_module("needs_missing_dep")
    assert "needs module 'not_installed_anywhere'" in submission.error


def test_a_module_that_exits_at_import_is_noted_with_its_line(tmp_path):
    (tmp_path / "layers.py").write_text("import sys\n\nsys.exit(3)\n")
    (tmp_path / "other.py").write_text("class ReLU:\n    pass\n")
    submission = load_directory(str(tmp_path))
    assert "ReLU" in submission.namespace
    assert submission.notes == ["layers.py called sys.exit(3) at line 3 while loading; "
                                "the rest of it did not run"]


def test_a_package_init_that_exits_is_noted(tmp_path):
    (tmp_path / "__init__.py").write_text("raise SystemExit('bye')\n")
    submission = load_directory(str(tmp_path))
    assert submission.notes[0].startswith("__init__.py called sys.exit('bye') at line 1")


def test_layers_in_nested_subpackages_load_and_tests_and_setup_do_not(tmp_path):
    """A library's ``src/`` with ``layers/`` and ``activation/`` beside each other: the
    layers of both are found; a ``tests`` package and a nested ``setup.py`` never run."""
    src = tmp_path / "src"
    for folder in ("layers", "activation", "tests", "ext"):
        (src / folder).mkdir(parents=True)
        (src / folder / "__init__.py").write_text("")
    (src / "__init__.py").write_text("")
    (src / "base.py").write_text("class Base:\n    pass\n")
    (src / "layers" / "dense.py").write_text("from src.base import Base\nclass Dense(Base):\n"
                                             "    pass\n")
    (src / "activation" / "relu.py").write_text("class ReluLayer:\n    pass\n")
    (src / "tests" / "test_relu.py").write_text("raise SystemExit('a test ran')\n")
    (src / "tests" / "helpers.py").write_text("raise SystemExit('a test helper ran')\n")
    (src / "ext" / "setup.py").write_text("raise SystemExit('setup ran')\n")
    submission = load_directory(str(src))
    assert not submission.error and not submission.notes, submission.notes
    assert {"Dense", "ReluLayer", "Base"} <= set(submission.namespace)
