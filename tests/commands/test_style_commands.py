"""The class-style fixtures (``tests/fixtures/styles``) through ``backcheck check`` and
``backcheck grade``: full marks for the correct ones, the bug charged in the one-bug ones,
in process and, for the nnfs style, sandboxed."""

from __future__ import annotations

import json

import pytest

FAST = ("--oracles", "fd")
LAYERS = {"nnfs": "Linear,ReLU,Sigmoid,Identity,Softmax,MSELoss,BCELoss,CrossEntropy",
          "nnfs_early": "Linear,Softmax,CrossEntropy", "dicts": "Linear,ReLU,Sigmoid,MSELoss",
          "lazy": "Linear", "mytorch": "Linear,BatchNorm", "optimizer": "Linear,Sigmoid"}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_check_passes_each_correct_style_and_fails_its_buggy_twin(cli, fixtures, twin, name):
    styles = fixtures / "styles"
    good = cli("check", styles / f"{name}.py", "--layers", LAYERS[name], *FAST,
               "--isolation", "none")
    assert good.code == 0, good.out[-2000:]
    assert "adapter classes" in good.out or "adapter sgd" in good.out
    bad = cli("check", twin(f"styles/{name}_buggy.py"), "--layers", LAYERS[name], *FAST,
              "--isolation", "none")
    assert bad.code == 1


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_grade_gives_the_nnfs_style_full_marks_and_charges_the_bug(cli, fixtures, tmp_path,
                                                                  twin, isolation):
    styles = fixtures / "styles"
    scores = {}
    for name, path in (("nnfs", styles / "nnfs.py"), ("nnfs_buggy", twin("styles/nnfs_buggy.py"))):
        out = tmp_path / name
        run = cli("grade", path, "--rubric", styles / "rubric.toml", *FAST,
                  "--isolation", isolation, "--format", "json", "--out", out)
        assert run.code == 0, run.err
        scores[name] = json.loads((out / "grade.json").read_text())["score"]
    assert scores["nnfs"] == 19
    assert scores["nnfs_buggy"] < 19


def test_grade_charges_the_dict_style_bias_bug_only(cli, fixtures, tmp_path, twin):
    styles = fixtures / "styles"
    run = cli("grade", twin("styles/dicts_buggy.py"), "--rubric", styles / "rubric.toml", *FAST,
              "--isolation", "none", "--format", "json", "--out", tmp_path)
    assert run.code == 0, run.err
    report = json.loads((tmp_path / "grade.json").read_text())
    wrong = {(c["layer"], c["quantity"]) for c in report["checks"] if c["verdict"] != "pass"}
    assert wrong <= {("Linear", "db"), ("CrossEntropy", "out"), ("CrossEntropy", "dx")}
    assert ("Linear", "db") in wrong
