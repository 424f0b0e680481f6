"""Whole from-scratch libraries of issue #12's corpus, as a user drives them: each style
fixture is checked in process and sandboxed and graded; its correct version passes every
check and full marks, its one-bug twin fails exactly where the bug is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
STYLES = FIXTURES / "styles"


def check(capsys, path: Path, layers: str, isolation: str, *extra: str) -> dict[str, set[str]]:
    """``backcheck check PATH --json``: ``"Layer.quantity"`` -> its verdicts."""
    cli.main(["check", str(path), "--oracles", "fd", "--layers", layers, "--dtype", "float64",
              "--json", "--isolation", isolation, *extra])
    return _verdicts(json.loads(capsys.readouterr().out)["checks"])


def grade(capsys, path: Path, layers: str, out: Path, *extra: str) -> tuple[float, float]:
    """``backcheck grade PATH --format json``: (score, max_score)."""
    cli.main(["grade", str(path), "--oracles", "fd", "--layers", layers, "--dtype", "float64",
              "--format", "json", "--out", str(out), *extra])
    capsys.readouterr()
    report = json.loads((out / "grade.json").read_text())
    return report["score"], report["max_score"]


def _verdicts(checks: list[dict]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for c in checks:
        found.setdefault(f"{c['layer']}.{c['quantity']}", set()).add(c["verdict"])
    return found


def failing(verdicts: dict[str, set[str]]) -> set[str]:
    return {k for k, v in verdicts.items() if v != {"pass"}}


MODES = {
    # name: (fixture, layers, extra arguments, what the one bug breaks)
    "image_dims": ("image_dims", "Conv2d,MaxPool2d,BatchNorm", (), {"MaxPool2d.dx"}),
}


@pytest.mark.slow
@pytest.mark.parametrize("isolation", ["none", "process"])
@pytest.mark.parametrize("mode", sorted(MODES))
def test_the_correct_library_passes_and_its_bug_is_caught_in_check(mode, isolation, capsys):
    name, layers, extra, broken = MODES[mode]
    good = check(capsys, STYLES / f"{name}.py", layers, isolation, *extra)
    assert {k.split(".")[0] for k in good} == set(layers.split(","))
    assert failing(good) == set(), good
    assert failing(check(capsys, STYLES / f"{name}_buggy.py", layers, isolation, *extra)) == broken


@pytest.mark.slow
@pytest.mark.parametrize("mode", sorted(MODES))
def test_the_correct_library_earns_full_marks_and_its_bug_loses_some(mode, tmp_path, capsys):
    name, layers, extra, _ = MODES[mode]
    score, top = grade(capsys, STYLES / f"{name}.py", layers, tmp_path / "good", *extra)
    assert score == top > 0
    score, top = grade(capsys, STYLES / f"{name}_buggy.py", layers, tmp_path / "bad", *extra)
    assert 0 < score < top
