"""Finding every copy of the answer key, without importing any of it."""

from __future__ import annotations

import os

from harness.sandbox import secrets


def _repository(tmp_path):
    """A main checkout with one linked worktree, as ``git worktree add`` lays them out."""
    main, linked = tmp_path / "main", tmp_path / "wt" / "linked"
    for tree in (main, linked):
        (tree / "reference").mkdir(parents=True)
    admin = main / ".git" / "worktrees" / "linked"
    admin.mkdir(parents=True)
    (admin / "commondir").write_text("../..\n")
    (admin / "gitdir").write_text(f"{linked}/.git\n")
    (linked / ".git").write_text(f"gitdir: {admin}\n")
    return main, linked, admin


def test_a_worktree_names_its_own_and_the_common_git_directory(tmp_path):
    main, linked, admin = _repository(tmp_path)
    assert secrets.git_dirs(str(linked)) == [str(admin), str(main / ".git")]
    assert secrets.git_dirs(str(main)) == [str(main / ".git")]


def test_every_checkout_of_the_repository_is_found(tmp_path):
    main, linked, _ = _repository(tmp_path)
    assert set(secrets._checkouts(str(linked))) == {str(main), str(linked)}


def test_a_site_packages_is_never_a_source_tree(tmp_path):
    for folder in ("site-packages", "checkout"):
        (tmp_path / folder / "reference").mkdir(parents=True)
    assert not secrets._is_tree(str(tmp_path / "site-packages"))
    assert secrets._is_tree(str(tmp_path / "checkout"))


def test_the_gradescope_source_folder_is_found_through_autograder(tmp_path, monkeypatch):
    (tmp_path / "source" / "backcheck").mkdir(parents=True)  # no marker: hidden anyway
    monkeypatch.setenv("AUTOGRADER", str(tmp_path))
    found = secrets._gradescope_sources()
    assert found == [str(tmp_path / "source"), str(tmp_path / "source" / "backcheck")]
    assert str(tmp_path / "source" / "backcheck") in secrets.source_trees()


def test_this_checkout_and_the_grader_modules_are_secret():
    found = secrets.paths()
    harness = secrets.HARNESS
    for part in ("specs", "oracles", "expectations.py", "cache.py"):
        assert os.path.join(harness, part) in found
    assert os.path.dirname(harness) in found
    assert harness not in found
