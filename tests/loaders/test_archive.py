"""Loading a .zip: what is inside is found and loaded; unsafe archives are refused."""

from __future__ import annotations

import stat
import zipfile

import pytest

from harness.errors import BackcheckError
from harness.loaders import archive, load


def _zip(path, members: dict[str, str]):
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return str(path)


def test_a_zipped_package_folder_loads_with_its_relative_imports(tmp_path, loading):
    members = {f"alice/{p.relative_to(loading / 'package')}": p.read_text()
               for p in (loading / "package").rglob("*.py")}
    submission = load(_zip(tmp_path / "alice.zip", members))
    assert {"Linear", "Tanh"} <= set(submission.namespace)
    assert submission.name == "alice.zip:alice"


def test_a_zipped_single_file_loads(tmp_path, loading):
    text = (loading / "latin1.py").read_bytes().decode("latin-1")
    submission = load(_zip(tmp_path / "one.zip", {"relu.py": text}))
    assert "ReLU" in submission.namespace


def test_a_zip_without_code_is_a_submission_error(tmp_path):
    submission = load(_zip(tmp_path / "docs.zip", {"README.txt": "hello"}))
    assert "holds no .py file or .ipynb notebook" in submission.error


@pytest.mark.parametrize("name", ["../escape.py", "/abs/path.py", "a/../../b.py"])
def test_path_traversal_is_refused(tmp_path, name):
    path = _zip(tmp_path / "evil.zip", {name: "x = 1"})
    with pytest.raises(BackcheckError, match="outside the extraction directory"):
        load(path)


def test_a_symbolic_link_is_refused(tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("link.py")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(BackcheckError, match="symbolic link"):
        load(str(path))


def test_a_zip_bomb_is_refused_before_extraction(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_BYTES", 1000)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.py", "#" * 5000)
    with pytest.raises(BackcheckError, match="expands to 5000 bytes"):
        load(str(path))


def test_too_many_members_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_FILES", 3)
    path = _zip(tmp_path / "many.zip", {f"m{i}.py": "" for i in range(4)})
    with pytest.raises(BackcheckError, match="4 members"):
        load(path)


def test_a_corrupt_zip_is_bad_input(tmp_path):
    path = tmp_path / "corrupt.zip"
    path.write_bytes(b"PK not really")
    with pytest.raises(BackcheckError, match="not a readable zip"):
        load(str(path))


def test_a_zipped_notebook_with_a_helper_module_loads_the_notebook(tmp_path):
    import nbformat

    cell = "from hw_helpers import mask\nclass ReLU:\n    def forward(self, x):\n        return x"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    path = _zip(tmp_path / "hw.zip", {"hw/backprop.ipynb": nbformat.writes(notebook),
                                      "hw/hw_helpers.py": "def mask(x):\n    return x > 0\n"})
    submission = load(path)
    assert submission.name == "hw.zip:hw/backprop.ipynb"
    assert not submission.notes and {"ReLU", "mask"} <= set(submission.namespace)
