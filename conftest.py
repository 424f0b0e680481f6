"""Wiring for backcheck's own test suite.

Shared fixtures live here: running the CLI in-process or as a real subprocess, the
fixture folders, the one-bug twins of ``tests/twins.py`` written to disk, and
``../shared`` (tests that read it skip cleanly without it).
Tests marked ``browser`` skip where Debian's chromium is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.twins import TWINS

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")


@dataclass(frozen=True)
class CliRun:
    """What one run of the ``backcheck`` command produced."""

    code: int
    out: str
    err: str


@pytest.fixture
def backcheck(tmp_path):
    """Run ``backcheck ARGS`` as a real subprocess (cwd: a fresh temp dir)."""

    def run(*args: str, cwd: Path | None = None, timeout: float = 300) -> CliRun:
        done = subprocess.run(
            [sys.executable, "-m", "harness", *map(str, args)],
            cwd=cwd or tmp_path, capture_output=True, text=True, timeout=timeout,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        return CliRun(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def fixtures() -> Path:
    """The folder of sample submissions and other test data."""
    return FIXTURES


@pytest.fixture(scope="session")
def twin(tmp_path_factory) -> Callable[[str], Path]:
    """``twin("styles/nnfs_buggy.py")``: the path of that one-bug twin, written once per
    session in a folder laid out as ``tests/fixtures`` (the name keeps its ``_buggy``)."""
    folder = tmp_path_factory.mktemp("twins")

    def path(name: str) -> Path:
        written = folder / name
        return written if written.exists() else TWINS[name].write(written)

    return path


@pytest.fixture
def shared() -> Path:
    """``../shared`` beside the repository; skips the test where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside the repository")
    return SHARED


def pytest_collection_modifyitems(config, items):
    """Skip browser tests where chromium is missing, with the reason."""
    if shutil.which("chromium"):
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
