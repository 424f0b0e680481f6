"""A backward computed by torch's autograd is flagged under check and grade, and refused
credit when the rubric says so; a hand-written backward on torch tensors is not.

The hidden variant names nothing in its source (``importlib``, ``setattr`` with built
strings), so only the sandboxed child's run-time counts can see it: ``grade`` must.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness import cli
from tests.hostile.test_corpus import grade

pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")

AUTODIFF = Path(__file__).parent / "autodiff"
TORCH = ("--timeout", "60", "--memory-mb", "4096")
"""Loading torch in a child takes seconds and more than 1 GB of address space."""


def check(name: str, capsys) -> dict:
    capsys.readouterr()
    cli.main(["check", str(AUTODIFF / f"{name}.py"), "--layers", "Linear,ReLU", "--oracles",
              "fd", "--json"])
    return json.loads(capsys.readouterr().out)


def autodiff_notes(report: dict) -> list[str]:
    return [n for n in report["notes"] if n.startswith("autodiff:")]


def test_check_flags_an_autograd_backward_from_its_source(capsys):
    (note,) = autodiff_notes(check("torch_autograd_backward", capsys))
    assert "Linear.backward uses .grad (torch_autograd_backward.py:18)" in note
    assert "requires_grad=" in note


def test_check_does_not_flag_a_hand_written_torch_backward(capsys):
    report = check("torch_hand_written", capsys)
    assert autodiff_notes(report) == []
    assert all(c["verdict"] == "pass" for c in report["checks"])


@pytest.mark.parametrize("name", ["torch_autograd_backward", "torch_autograd_hidden"])
def test_grade_flags_autograd_for_the_instructor(name, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    report, _, code = grade(AUTODIFF / f"{name}.py", capsys, *TORCH)
    assert code == 0 and report["passed"]
    (flag,) = [f for f in report["flags"] if "autodiff" in f]
    assert flag.startswith("Linear: uses autodiff (look at it)")
    (note,) = autodiff_notes(report)
    assert "Linear called torch.autograd while running" in note


def test_grade_refuses_the_credit_when_the_rubric_says_so(tmp_path, capsys):
    rubric = tmp_path / "course.toml"
    rubric.write_text('name = "course"\nlayers = ["Linear", "ReLU"]\n\n'
                      '[default]\nautodiff = "refuse"\n')
    report, _, _ = grade(AUTODIFF / "torch_autograd_hidden.py", capsys, *TORCH,
                         "--rubric", str(rubric))
    linear = [c for c in report["checks"] if c["layer"] == "Linear"]
    assert {c["verdict"] for c in linear if c["quantity"] == "out"} == {"pass"}
    refused = [c for c in linear if c["quantity"] != "out"]
    assert refused and all(c["verdict"] == "error" for c in refused)
    assert all(c["message"].startswith("credit refused") for c in refused)
    assert {c["verdict"] for c in report["checks"] if c["layer"] == "ReLU"} == {"pass"}
    assert any(f.startswith("Linear: uses autodiff (credit refused)") for f in report["flags"])
    assert 0 < report["score"] < report["max_score"]


def test_grade_does_not_flag_a_hand_written_torch_backward(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    report, _, _ = grade(AUTODIFF / "torch_hand_written.py", capsys, *TORCH)
    assert report["passed"]
    assert autodiff_notes(report) == [] and report["flags"] == []
