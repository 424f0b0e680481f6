"""The contract probes reach every adapter: the same in-place mutation is charged the
same way in every coding style, in process and sandboxed, and through an adapter file.

Each style has a correct fixture and one that mutates an argument in place
(``tests/fixtures/contract/``): the ReLU styles zero ``dout`` where ``x <= 0``, as most
real CS231n solutions do; the column-major network computes ``A2 - Y`` inside ``Y``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from harness import cli, engine, grading, isolation, judging, specs
from harness import rubric as rubrics
from harness.adapters import calls, probes
from harness.outcome import Outcome
from harness.result import FAIL, PASS
from harness.sandbox.limits import Limits
from harness.target import Target
from tests.sandbox.conftest import needs_fork

CONTRACT = Path(__file__).resolve().parents[1] / "fixtures" / "contract"
STYLES = {
    "native": ("ReLU", None),
    "classes": ("ReLU", None),
    "cs231n": ("ReLU", None),
    "adapter-file": ("ReLU", CONTRACT / "tinylib_adapter.py"),
    "columnar": ("XORNet", None),
}
FILES = {"adapter-file": "tinylib"}
RELU_STYLES = [s for s, (layer, _) in STYLES.items() if layer == "ReLU"]


def target(style: str, kind: str) -> Target:
    adapter_file = STYLES[style][1]
    path = CONTRACT / f"{FILES.get(style, style)}_{kind}.py"
    return Target(str(path), adapter_file=str(adapter_file) if adapter_file else None)


def check(style: str, kind: str, executor=None):
    """``backcheck check`` of one fixture with the fd oracle, in float64."""
    run = {"executor": executor} if executor else {}
    return engine.check(target(style, kind), specs.select([STYLES[style][0]]), ["float64"],
                        ["fd"], **run)


def charged(result) -> set[tuple[str, int, str]]:
    """(quantity, case, first words of the hint) of every failed check."""
    return {(c.quantity, c.case, c.hint.split(":")[0]) for c in result.checks
            if c.verdict != PASS}


@pytest.mark.parametrize("style", list(STYLES))
def test_the_correct_fixture_passes_with_no_hint(style):
    result = check(style, "correct")
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:2]
    assert not any(c.hint for c in result.checks)


@pytest.mark.parametrize("style", list(STYLES))
def test_mutation_in_place_fails_the_first_gradient_of_every_case(style):
    layer, _ = STYLES[style]
    result = check(style, "mutating")
    spec = specs.CATALOG[layer]
    name = "dout" if layer == "ReLU" else "target"
    first = f"d{spec.wrt[0]}"
    assert charged(result) == {(first, i, f"backward modified {name} in place")
                               for i in range(len(spec.variants))}
    assert all(c.verdict == FAIL for c in result.checks if c.quantity == first)


def test_every_relu_style_is_charged_identically():
    results = [check(style, "mutating") for style in RELU_STYLES]
    found = {(frozenset(charged(r)), frozenset(c.hint for c in r.checks if c.hint))
             for r in results}
    assert len(found) == 1


@needs_fork
@pytest.mark.parametrize("style", list(STYLES))
def test_grade_in_the_sandbox_charges_what_check_charges_in_process(style):
    sandbox = isolation.executor("process", Limits(timeout=10.0, memory_mb=1024))
    layer, _ = STYLES[style]
    rubric = rubrics.load().restrict([layer])
    for kind in ("correct", "mutating"):
        inside, outside = check(style, kind), check(style, kind, sandbox)
        assert charged(outside) == charged(inside)
        grade_in, grade_out = grading.grade(inside, rubric), grading.grade(outside, rubric)
        assert grade_out.points == grade_in.points
        perfect = grade_out.points == grade_out.max_points
        assert perfect == (kind == "correct")


def test_a_correct_run_records_no_change():
    spec = specs.CATALOG["ReLU"]
    case = spec.case(0, "float64")
    with calls.recording(case) as rec:
        calls.call("copy", np.negative, calls.fresh(case.inputs["x"]))
    assert rec.changed == {} and rec.calls == 1


def test_the_child_says_nothing_about_what_it_saw():
    """Only raw arrays under the probe names cross the wire: the verdict is the parent's."""
    forged = {probes.CHANGED_BY_BACKWARD: {"dout": "trust me", "x": np.ones(3)},
              "verdict": "fail", probes.AT_ZERO: [1, 2]}
    assert probes.well_formed(forged) == {probes.CHANGED_BY_BACKWARD: {"x": forged[
        probes.CHANGED_BY_BACKWARD]["x"]}}
    assert probes.well_formed("no") == {}


def test_a_change_reported_equal_to_the_case_is_no_violation():
    """The parent recomputes the change from the case it drew, not from the child's word."""
    spec = specs.CATALOG["ReLU"]
    case = spec.case(0, "float64")
    same = {probes.CHANGED_BY_BACKWARD: {"dout": case.upstream.copy()}}
    outcome = Outcome(np.maximum(case.inputs["x"], 0), {"x": case.upstream}, observations=same)
    assert judging.broken_contract(spec, case, "dx", outcome) is None
    other = {probes.CHANGED_BY_BACKWARD: {"dout": np.zeros_like(case.upstream)}}
    found = judging.broken_contract(spec, case, "dx", Outcome(None, observations=other))
    assert found is not None and found.kind == "mutated-input"


def _cli_grade(path: Path, layer: str, folder: Path) -> dict:
    """``backcheck grade`` (sandboxed, the default) on ``path``: its grade.json."""
    code = cli.main(["grade", str(path), "--layers", layer, "--oracles", "fd", "--dtype",
                     "float64", "--isolation", "process", "--timeout", "10", "--memory-mb",
                     "1024", "--format", "json", "--out", str(folder)])
    report = json.loads((folder / "grade.json").read_text())
    report["code"] = code
    return report


@needs_fork
@pytest.mark.slow
@pytest.mark.parametrize("style", [s for s in STYLES if STYLES[s][1] is None])
def test_backcheck_grade_charges_the_mutation_like_check(style, tmp_path, capsys):
    layer, _ = STYLES[style]
    correct = _cli_grade(CONTRACT / f"{style}_correct.py", layer, tmp_path / "correct")
    mutating = _cli_grade(CONTRACT / f"{style}_mutating.py", layer, tmp_path / "mutating")
    assert correct["score"] == correct["max_score"] and correct["code"] == 0
    tests = [t for graded in mutating["layers"] for t in graded["tests"]]
    short = {t["quantity"] for t in tests if t["score"] < t["max_score"]}
    assert short == {f"d{specs.CATALOG[layer].wrt[0]}"}
    assert all(i["hint"].startswith("backward modified") for t in tests
               if t["quantity"] in short for i in t["items"])


@pytest.mark.slow
def test_a_torch_tensor_changed_in_place_is_charged_like_an_array():
    pytest.importorskip("torch")
    result = engine.check(Target(str(CONTRACT / "classes_torch_mutating.py")),
                          specs.select(["ReLU"]), ["float64"], ["fd"])
    assert result.adapter == "classes"
    assert charged(result) == charged(check("native", "mutating"))


def test_a_stale_cache_is_found_through_a_layout_conversion():
    """The classes adapter hands Dense a (out, in) weight; the decoy forward still reaches
    the object the runner builds."""
    result = engine.check(Target(str(CONTRACT / "classes_stale.py")),
                          specs.select(["Linear"]), ["float64"], ["fd"])
    assert result.adapter == "classes"
    stale = {(c.quantity, c.case) for c in result.checks if c.hint.startswith(
        "backward used a stale cache")}
    assert ("dW", 0) in stale and {case for _, case in stale} == {0}
