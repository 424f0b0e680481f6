"""Per-layer conventions reach every command, sandboxed: ``grade`` and ``batch`` give a
correct one-hot, per-sample library full marks only with the options declared."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "submissions" / "conventions"
OPTION = "classes:CrossEntropy.targets=onehot,Linear.param_grads=per-sample"


def library(tmp_path, *names):
    """A folder holding ``onehot_loss.py`` and ``mixed_param_grads.py`` as one library."""
    lib = tmp_path / "lib"
    lib.mkdir()
    for name in names:
        shutil.copy(FOLDER / name, lib / name)
    return lib


def test_grade_sandboxed_honours_per_layer_options(cli, tmp_path):
    lib = library(tmp_path, "onehot_loss.py", "mixed_param_grads.py")
    common = ("grade", lib, "--layers", "CrossEntropy,Linear", "--oracles", "fd",
              "--isolation", "process")
    declared = cli(*common, "--adapter", OPTION, "--out", tmp_path / "a")
    assert declared.code == 0 and "score 8 / 8" in declared.out, declared.out + declared.err
    undeclared = cli(*common, "--adapter", "classes", "--out", tmp_path / "b")
    assert "score 8 / 8" not in undeclared.out
    assert "--adapter classes:Linear.param_grads=per-sample" in undeclared.out.replace("\n", "")


def test_batch_honours_per_layer_options(cli, tmp_path, twin):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(FOLDER / "onehot_loss.py", folder / "correct.py")
    shutil.copy(twin("submissions/conventions/onehot_loss_buggy.py"), folder / "buggy.py")
    run = cli("batch", folder, "--layers", "CrossEntropy", "--oracles", "fd", "--adapter",
              OPTION, "--out", tmp_path / "out")
    with open(tmp_path / "out" / "gradebook.csv", newline="") as handle:
        rows = {row["submission"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"correct.py", "buggy.py"}, run.err
    score = {name: row["score"] for name, row in rows.items()}
    assert score["correct.py"] == rows["correct.py"]["max_score"] != score["buggy.py"]
