"""The Gradescope autograder exactly as README "8. Gradescope" builds it, attacked by a
submission that searches every readable file on the machine for backcheck's answer key.

The layout is built under a fresh folder outside scratch space (``/srv``, ``/opt``...),
set as ``AUTOGRADER`` (which ``run_autograder`` and the sandbox both honour):
``source/`` holds ``setup.sh``, ``run_autograder``, ``rubric.toml``, the wheel the
recipe builds and, as a zip made by the recipe's earlier version would, ``backcheck/``
(a copy of the source tree). ``setup.sh`` would delete both after installing; here they
stay, to prove the sandbox hides them regardless. The submission walks ``/`` and looks
for the reference and the grader's code by file name and by content (distinctive lines
of ``reference/*.py`` and ``harness/oracles/*.py``, carried base64-encoded so that
copies of the submission never match), then prints what it found.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "gradescope"
SECRET_FILES = [*sorted((ROOT / "reference").glob("*.py")),
                *sorted((ROOT / "harness" / "oracles").glob("*.py"))]
GRADER_SUFFIXES = ["harness/expectations.py", "harness/cache.py", "harness/specs/linear.py",
                   *(f"{p.parent.name}/{p.name}" for p in SECRET_FILES
                     if p.name != "__init__.py")]
"""Found by name (``__init__.py`` is everywhere, and a hidden package's refuses to import:
those are found by content only)."""
VISIBLE = [p for p in (ROOT / "harness").rglob("*.py")
           if not any(part in ("oracles", "specs") for part in p.parts)
           and p.name not in ("expectations.py", "cache.py")]
SEARCH = '''"""Finds backcheck's answer key anywhere on the machine (see the test's docstring)."""
import base64
import os

import numpy as np

NEEDLES = [base64.b64decode(n) for n in {needles!r}]
SUFFIXES = [base64.b64decode(s).decode() for s in {suffixes!r}]
TEXT = (".py", ".txt", ".md", ".toml", ".json", ".ipynb", ".cfg", ".rst", ".orig", ".bak",
        ".patch", ".diff", ".html", ".whl", ".zip")
SKIP = ("/proc", "/sys", "/dev")
DONE = []


def _hit(path):
    if any(path.endswith("/" + s) for s in SUFFIXES) and os.path.getsize(path) > 0:
        return True
    name = os.path.basename(path)
    if name.startswith("backcheck-") and name.endswith((".whl", ".tar.gz", ".zip")):
        return True
    if not name.endswith(TEXT) or os.path.getsize(path) > 2**20:
        return False
    with open(path, "rb") as source:
        data = source.read()
    return any(n in data for n in NEEDLES)


def search():
    here = os.getcwd()
    found, files = [], 0
    for root, dirs, names in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(root, d) not in SKIP
                   and not os.path.join(root, d).startswith(here)]
        for name in names:
            path = os.path.join(root, name)
            try:
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                files += 1
                if _hit(path):
                    found.append(path)
            except OSError:
                continue
    return found, files


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b
        if not DONE:
            found, files = search()
            DONE.append(print(f"ESCAPE found={{len(found)}} files={{files}} "
                              + " ".join(found[:8])))

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        return {{"x": dout @ self.W.T, "W": self.x.T @ dout, "b": np.sum(dout, axis=0)}}
'''

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork"),
    pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                       reason="the walls need root (namespaces)"),
    pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash"),
]


def needles() -> list[bytes]:
    """The two longest lines of each secret file that no visible file of backcheck has."""
    visible = b"\n".join(p.read_bytes() for p in VISIBLE)
    chosen = []
    for path in SECRET_FILES:
        lines = sorted({line.strip() for line in path.read_bytes().splitlines()}, key=len)
        chosen += [line for line in lines if len(line) >= 30 and line not in visible][-2:]
    return chosen


def outside_scratch() -> str:
    for base in ("/srv", "/opt", "/var/lib", "/mnt"):
        if os.path.isdir(base) and os.access(base, os.W_OK):
            root = tempfile.mkdtemp(prefix="backcheck-autograder-", dir=base)
            os.chmod(root, 0o755)  # as Gradescope's /autograder: the child may enter it
            return root
    pytest.skip("no writable folder outside scratch space")


def build_layout(root: Path) -> None:
    """README's recipe (plus the source copy an older zip held), as ``AUTOGRADER``."""
    source = root / "source"
    source.mkdir(parents=True)
    for name in ("setup.sh", "run_autograder"):
        shutil.copy(EXAMPLE / name, source / name)
    shutil.copy(EXAMPLE / "rubric.toml", source / "rubric.toml")
    copy = source / "backcheck"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "*.egg-info", "__pycache__", ".tox", "build", "dist"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "-q", "-w", str(source), str(copy)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot build a wheel here: {done.stderr.strip()[-200:]}")
    shutil.rmtree(copy / "build", ignore_errors=True)
    assert list(source.glob("backcheck-*.whl"))
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # readable by all, as unzipped
    (root / "submission").mkdir()
    encode = [base64.b64encode(n).decode() for n in needles()]
    suffixes = [base64.b64encode(s.encode()).decode() for s in GRADER_SUFFIXES]
    (root / "submission" / "search.py").write_text(
        SEARCH.format(needles=encode, suffixes=suffixes))


def other_checkouts(layout: Path) -> list[str]:
    """Other source trees of backcheck on this machine, outside the layout and this tree
    (a developer's or CI machine keeps its own checkouts; a Gradescope machine has none):
    an instructor passes them with ``--hide``, as the test does. Found by directory
    names alone, so the walk reads no file."""
    found = []
    for top, dirs, _ in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev")]
        if "reference" in dirs and "harness" in dirs and Path(top, "reference", "linear.py"
                                                              ).is_file():
            here = Path(top).resolve()
            if here != ROOT and layout not in here.parents:
                found.append(str(here))
            dirs[:] = []
    return found


@pytest.mark.slow
def test_no_copy_of_the_answer_key_is_readable_from_the_gradescope_sandbox():
    root = Path(outside_scratch())
    try:
        build_layout(root)
        hide = " ".join(f"--hide {shlex.quote(tree)}" for tree in other_checkouts(root))
        environment = {**os.environ, "AUTOGRADER": str(root),
                       "BACKCHECK": str(Path(sys.executable).parent / "backcheck"),
                       "BACKCHECK_OPTIONS": "--oracles fd --timeout 600 --total-timeout 900 "
                                            f"--dtype float64 {hide}"}
        done = subprocess.run(["bash", str(root / "source" / "run_autograder")],
                              env=environment, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr
        report = json.loads((root / "results" / "grade.json").read_text())
        printed = " ".join(n for n in report["notes"] if "ESCAPE" in n)
        match = re.search(r"ESCAPE found=(\d+) files=(\d+)([^']*)", printed)
        assert match, (report["notes"], {c["message"] for c in report["checks"]})
        assert int(match.group(2)) > 1000  # it did search
        assert match.group(1) == "0", match.group(3)
        print(f"searched {match.group(2)} files")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_needles_are_distinctive():
    """Each secret file gives its needles, none of them found in a visible file."""
    found = needles()
    assert len(found) >= len(SECRET_FILES)
    visible = b"\n".join(p.read_bytes() for p in VISIBLE)
    assert not any(n in visible for n in found)
