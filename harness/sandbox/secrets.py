"""Where backcheck's answer key lives on this machine: what no child may see.

The answer key is more than the ``reference`` package and a course's layer files
(``--spec-file``, each with its reference class). The code that produces expected
values (``harness/oracles/``, ``harness/expectations.py``, ``harness/cache.py``) and
the spec catalog (``harness/specs/``, which names and imports the reference) would
let a submission answer with backcheck's own machinery; a source tree of backcheck
(the one this ``harness`` was imported from, the one an editable install points to,
Gradescope's ``/autograder/source``, every worktree of its git repository) holds the
reference as plain files; its git directory holds it in pack files. All of them are
found here, in the trusted parent, without importing any of them.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import json
import os
import sys
from urllib.parse import unquote, urlparse

HARNESS = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
PACKAGES = ("reference",)
"""Top-level packages that are answer keys wherever they are installed."""
GRADER_MODULES = ("specs", "oracles", "expectations.py", "cache.py")
"""Parts of ``harness`` that only the grader runs (relative to the package)."""
MODULES = ("reference", "harness.specs", "harness.oracles", "harness.expectations",
           "harness.cache")
"""Their module names: the child refuses to import these even where a path is not hidden."""
GRADESCOPE = "/autograder"
TREE_MARKERS = ("reference", "harness")


def paths() -> list[str]:
    """Every copy of the answer key this process can know about (real paths)."""
    found = [*package_paths(), *course_files(), *(os.path.join(HARNESS, m) for m in GRADER_MODULES)]
    for tree in source_trees():
        found += [tree, *git_dirs(tree)]
    return [p for p in dict.fromkeys(os.path.realpath(p) for p in found)
            if os.path.lexists(p)]


def course_files() -> list[str]:
    """Course layer files loaded here (``--spec-file``): each holds its layer's reference
    class. (Read only if the catalog was loaded: this never imports it.)"""
    plugins = sys.modules.get("harness.specs.plugins")
    return [os.path.realpath(p) for p in getattr(plugins, "_FROM_FILES", {}).values()]


def package_paths() -> list[str]:
    """Where the hidden packages live (found without importing them)."""
    found = []
    for name in PACKAGES:
        with contextlib.suppress(ImportError, ValueError):
            spec = importlib.util.find_spec(name)
            found += list(spec.submodule_search_locations or []) if spec else []
    return [os.path.realpath(p) for p in found]


def source_trees() -> list[str]:
    """Backcheck source trees: this one, an editable install's, Gradescope's, and every
    checkout of the same git repository."""
    roots = [os.path.dirname(HARNESS), _editable_source(),
             *(os.path.dirname(p) for p in package_paths())]
    trees = [r for r in dict.fromkeys(os.path.realpath(r) for r in roots if r) if _is_tree(r)]
    for tree in list(trees):
        trees += [t for t in _checkouts(tree) if t not in trees]
    return trees + [g for g in _gradescope_sources() if g not in trees]


def _is_tree(folder: str) -> bool:
    """A directory holding backcheck's source (not a site-packages, which holds every
    installed distribution: there only the packages themselves are hidden)."""
    if os.path.basename(folder) in ("site-packages", "dist-packages"):
        return False
    return any(os.path.isdir(os.path.join(folder, m)) for m in TREE_MARKERS)


def _editable_source() -> str | None:
    """The project directory of an editable (or local-directory) install of backcheck."""
    try:
        text = importlib.metadata.distribution("backcheck").read_text("direct_url.json")
        url = urlparse(json.loads(text or "{}").get("url", ""))
    except (importlib.metadata.PackageNotFoundError, ValueError, AttributeError):
        return None
    return unquote(url.path) if url.scheme == "file" and os.path.isdir(unquote(url.path)) \
        else None


def _gradescope_sources() -> list[str]:
    """Gradescope's unpacked autograder zip (``$AUTOGRADER/source``) and the folders in
    it: hidden whatever they hold (a wheel of backcheck, a copy of its source)."""
    source = os.path.join(os.environ.get("AUTOGRADER") or GRADESCOPE, "source")
    if not os.path.isdir(source):
        return []
    with contextlib.suppress(OSError):
        return [source, *(e.path for e in os.scandir(source) if e.is_dir())]
    return [source]


def git_dirs(tree: str) -> list[str]:
    """The git directory of a checkout and, for a worktree, the repository's common one."""
    dot_git = os.path.join(tree, ".git")
    if os.path.isdir(dot_git):
        return [dot_git]
    gitdir = _pointer(dot_git, "gitdir: ")
    if gitdir is None:
        return []
    common = _pointer(os.path.join(gitdir, "commondir"), "")
    return [gitdir, common] if common else [gitdir]


def _checkouts(tree: str) -> list[str]:
    """Every working tree of ``tree``'s repository: the main checkout and its worktrees."""
    dirs = git_dirs(tree)
    if not dirs:
        return []
    common = dirs[-1]
    found = [os.path.dirname(common)] if os.path.basename(common) == ".git" else []
    worktrees = os.path.join(common, "worktrees")
    with contextlib.suppress(OSError):
        for entry in os.scandir(worktrees):
            pointer = _pointer(os.path.join(entry.path, "gitdir"), "")
            if pointer:
                found.append(os.path.dirname(pointer))
    return [os.path.realpath(t) for t in found if _is_tree(t)]


def _pointer(path: str, prefix: str) -> str | None:
    """The path a git pointer file names (relative to the file's directory), if any."""
    try:
        with open(path) as handle:
            text = handle.read(4096).strip()
    except OSError:
        return None
    if not text.startswith(prefix):
        return None
    target = os.path.join(os.path.dirname(path), text[len(prefix):].strip())
    return os.path.realpath(target) if os.path.exists(target) else None
