"""A correct library whose losses take the target first passes ``check`` (in process and
in the sandbox) and earns full marks from ``grade``, with no option declared."""

from __future__ import annotations

import json

import pytest

LAYERS = ("--layers", "MSELoss,BCELoss,CrossEntropy,SVMLoss", "--oracles", "fd")


@pytest.fixture
def library(fixtures):
    return fixtures / "submissions" / "classes" / "target_first_losses.py"


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_check_passes_every_loss(cli, library, isolation):
    run = cli("check", library, *LAYERS, "--isolation", isolation)
    assert run.code == 0, run.out
    assert "checks passed" in run.out and "fail" not in run.out


def test_grade_gives_full_marks(cli, library, tmp_path):
    run = cli("grade", library, *LAYERS, "--isolation", "none", "--format", "json",
              "--out", tmp_path)
    assert run.code == 0, run.out
    data = json.loads((tmp_path / "grade.json").read_text())
    assert data["max_score"] > 0 and data["score"] == data["max_score"]
