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
    # name: (fixture and its "_buggy" twin, layers, extra arguments, what the bug breaks)
    "image_dims": (STYLES / "image_dims", "Conv2d,MaxPool2d,BatchNorm",
                   ("--cases", "Conv2d:stride!=(2, 1),stride!=(1, 2)",
                    "--cases", "MaxPool2d:padding!=1"), {"MaxPool2d.dx"}),
    "channels_last_lib": (FIXTURES / "corpus" / "channels_last_lib", "Conv2d,MaxPool2d,ReLU",
                          ("--adapter", "classes:channels_last", "--cases", "Conv2d:padding=0",
                           "--cases", "MaxPool2d:padding!=1"),
                          {"ReLU.dx"}),
    "function_pairs": (FIXTURES / "corpus" / "function_pairs", "Sigmoid,ReLU,MSELoss", (),
                       {"ReLU.dx"}),
    "unbatched_conv": (FIXTURES / "corpus" / "unbatched_conv", "Conv2d",
                       ("--adapter", "classes:channels_last,unbatched",
                        "--cases", "Conv2d:N=1,stride=1,padding=0"), {"Conv2d.db"}),
    "output_loss": (FIXTURES / "corpus" / "output_loss", "CrossEntropy",
                    ("--adapter", "classes:CrossEntropy.unbatched", "--cases",
                     "CrossEntropy:N=1"), {"CrossEntropy.dx"}),
}


def _pair(fixture: Path, twin) -> tuple[Path, Path]:
    """The correct fixture and its one-bug twin: a package folder beside it, or a file's
    twin written from ``tests/twins.py``."""
    if fixture.is_dir():
        return fixture, fixture.with_name(fixture.name + "_buggy")
    relative = fixture.relative_to(FIXTURES)
    return fixture.with_suffix(".py"), twin(f"{relative}_buggy.py")


@pytest.mark.slow
@pytest.mark.parametrize("isolation", ["none", "process"])
@pytest.mark.parametrize("mode", sorted(MODES))
def test_the_correct_library_passes_and_its_bug_is_caught_in_check(mode, isolation, capsys,
                                                                   twin):
    fixture, layers, extra, broken = MODES[mode]
    correct, buggy = _pair(fixture, twin)
    good = check(capsys, correct, layers, isolation, *extra)
    assert {k.split(".")[0] for k in good} == set(layers.split(","))
    assert failing(good) == set(), good
    assert failing(check(capsys, buggy, layers, isolation, *extra)) == broken


@pytest.mark.slow
@pytest.mark.parametrize("mode", sorted(MODES))
def test_the_correct_library_earns_full_marks_and_its_bug_loses_some(mode, tmp_path, capsys,
                                                                     twin):
    fixture, layers, extra, _ = MODES[mode]
    correct, buggy = _pair(fixture, twin)
    score, top = grade(capsys, correct, layers, tmp_path / "good", *extra)
    assert score == top > 0
    score, top = grade(capsys, buggy, layers, tmp_path / "bad", *extra)
    assert 0 < score < top


def test_a_pool_that_takes_no_padding_names_the_cases_to_run_instead_of_a_wrong_value(capsys):
    fixture = FIXTURES / "corpus" / "channels_last_lib"
    cli.main(["check", str(fixture), "--oracles", "fd", "--layers", "MaxPool2d", "--dtype",
              "float64", "--json", "--isolation", "none", "--adapter", "classes:channels_last"])
    checks = json.loads(capsys.readouterr().out)["checks"]
    padded = [c for c in checks if c["verdict"] != "pass"]
    assert padded and {c["verdict"] for c in padded} == {"error"}
    assert all("--cases 'MaxPool2d:padding!=1'" in c["message"] for c in padded)
