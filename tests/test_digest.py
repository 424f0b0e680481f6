"""The content digest behind a batch's skip key: every byte counts, nothing is followed."""

from __future__ import annotations

import os
import shutil

from harness.digest import DIGESTED, digest


def make_folder(root):
    (root / "pkg").mkdir(parents=True)
    (root / "layers.py").write_text("x = 1\n")
    (root / "pkg" / "util.py").write_text("y = 2\n")
    return root


def test_a_file_digest_is_its_bytes(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.ipynb"
    a.write_bytes(b"print(1)\n")
    b.write_bytes(b"print(1)\n")
    assert digest(str(a)) == digest(str(b)) != digest(str(tmp_path / "none"))
    a.write_bytes(b"print(2)\n")
    assert digest(str(a)) != digest(str(b))
    assert digest(str(tmp_path / "none")) == "missing"


def test_every_file_of_a_folder_counts_but_pycache(tmp_path):
    folder = make_folder(tmp_path / "carol")
    first = digest(str(folder))
    assert digest(str(make_folder(tmp_path / "copy"))) == first
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "layers.cpython-311.pyc").write_bytes(b"\0")
    assert digest(str(folder)) == first
    (folder / "pkg" / "util.py").write_text("y = 3\n")
    assert digest(str(folder)) != first
    shutil.rmtree(folder / "pkg")
    (folder / "pkgutil.py").write_text("y = 2\n")
    assert digest(str(folder)) != first


def test_a_link_is_digested_by_its_text_and_never_followed(tmp_path):
    folder = make_folder(tmp_path / "carol")
    os.symlink("/nonexistent/secret", folder / "secret")
    with_link = digest(str(folder))
    os.remove(folder / "secret")
    os.symlink("/nonexistent/other", folder / "secret")
    assert digest(str(folder)) != with_link
    os.symlink("/etc/shadow", tmp_path / "shadow.py")
    assert digest(str(tmp_path / "shadow.py")) != digest("/etc/shadow")


def test_an_unreadable_part_gives_no_digest(tmp_path, monkeypatch):
    folder = make_folder(tmp_path / "carol")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    assert digest(str(folder)) == "unreadable: Permission denied"
    assert not digest(str(folder)).startswith(DIGESTED)
