"""Fixtures shared by the command tests: the class fixture and the CLI run in process."""

from __future__ import annotations

from collections import namedtuple

import pytest

from harness.cli import main

Run = namedtuple("Run", "code out err")


@pytest.fixture
def course(fixtures):
    """The small class of ``tests/fixtures/class``: submissions and a rubric."""
    return fixtures / "class"


@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    """``backcheck ARGS`` in this process (a subprocess costs seconds of imports)."""
    monkeypatch.chdir(tmp_path)

    def run(*args):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run
