"""numpy-ml's style (issue #12's corpus), in our own fixture: parameter and gradient
dicts, sizes from the first forward, inputs queued per forward and flushed with the
layer's own ``flush_gradients``, channels-last images, one ``Pool2D`` for two layers."""

from __future__ import annotations

from pathlib import Path

from harness import catalog, engine, grading, isolation, selection, specs
from harness import rubric as rubrics
from harness.result import PASS
from harness.sandbox.limits import Limits
from harness.target import Target
from tests.sandbox.conftest import needs_fork

STYLES = Path(__file__).resolve().parents[1] / "fixtures" / "styles"
LAYERS = ["Linear", "Softmax", "BatchNorm", "MaxPool2d", "AvgPool2d"]
ADAPTER = "classes:channels_last=true"
CASES = tuple(selection.parse(text, catalog.specs())
              for text in ("MaxPool2d:padding!=1", "AvgPool2d:padding!=1"))
"""The fixture's Pool2D takes a pad it ignores, as a user declares with ``--cases``."""


def check(path: Path, executor=None):
    prepared = engine.prepare(specs.select(LAYERS), ["float64"], ["fd"], cases=CASES)
    target = Target(str(path), ADAPTER)
    return engine.run(target, prepared, **({"executor": executor} if executor else {}))


def failing(result) -> set[str]:
    return {f"{c.layer}.{c.quantity}" for c in result.checks if c.verdict != PASS}


def test_queued_layers_are_all_driven_and_pass():
    result = check(STYLES / "queued.py")
    assert {c.layer for c in result.checks} == set(LAYERS)
    assert failing(result) == set(), [c.explain() for c in result.checks if not c.passed][:3]


def test_a_queue_of_inputs_is_no_stale_cache():
    """Forward twice then backward pairs the first input by design; flushed first, the
    stale-cache probe sees the second forward's gradient."""
    result = check(STYLES / "queued.py")
    assert not any("stale cache" in c.hint for c in result.checks if c.layer == "Softmax")
    assert failing(result) == set()


def test_a_bias_gradient_averaged_over_the_batch_is_caught_there_only(twin):
    assert failing(check(twin("styles/queued_buggy.py"))) == {"Linear.db"}


@needs_fork
def test_sandboxed_check_and_grade_charge_the_same(twin):
    sandbox = isolation.executor("process", Limits(timeout=20.0, memory_mb=1024))
    rubric = rubrics.load().restrict(LAYERS)
    for path in (STYLES / "queued.py", twin("styles/queued_buggy.py")):
        inside, outside = check(path), check(path, sandbox)
        assert failing(outside) == failing(inside)
        assert grading.grade(outside, rubric).points == grading.grade(inside, rubric).points
