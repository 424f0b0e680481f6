"""CS231n names for catalog layers: spatial group norm, word embedding, the TwoLayerNet
model class (fc_net.py, and neural_net.py's penalty without 0.5 declared as l2=full)."""

from __future__ import annotations

import pytest
from adapter_checks import run_check, verdicts

COURSE = ("GroupNorm", "Embedding", "TwoLayerNet")
FILES = {"GroupNorm": "groupnorm", "Embedding": "embedding", "TwoLayerNet": "fc_net"}
BUG = {"GroupNorm": "out", "Embedding": "dW", "TwoLayerNet": "dW1"}


@pytest.fixture
def course(submissions):
    return submissions / "cs231n_course"


@pytest.mark.parametrize("layer", COURSE)
def test_the_course_style_passes(course, layer):
    result = run_check(course / f"{FILES[layer]}.py", [layer])
    assert result.adapter == "cs231n"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


@pytest.mark.parametrize("layer", COURSE)
def test_one_bug_is_caught_on_its_quantity(twin, layer):
    found = verdicts(run_check(twin(f"submissions/cs231n_course/{FILES[layer]}_buggy.py"),
                               [layer]))
    assert "fail" in found[f"{layer}.{BUG[layer]}"]


def test_a_penalty_without_the_half_passes_only_when_declared(course):
    declared = run_check(course / "neural_net.py", ["TwoLayerNet"], adapter="cs231n:l2=full")
    assert declared.passed, [c.explain() for c in declared.checks if not c.passed][:3]
    undeclared = verdicts(run_check(course / "neural_net.py", ["TwoLayerNet"]))
    assert "fail" in undeclared["TwoLayerNet.out"]
