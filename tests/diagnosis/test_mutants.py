"""The mutant corpus: one-bug submissions, in students' styles, each named or left unnamed
but never misnamed.

Every file in ``mutants/`` declares, in its docstring, ``backcheck-mutant: LAYER QUANTITY
KIND`` (``unnamed`` where no rule or model is expected to name it), and after ``also`` the
kinds that other quantities may be given because the bug carries over to them (a forward
normalized over the batch gives a dgamma of zeros for a batch of one). Each is loaded and run
through the real loader and adapter, checked with finite differences, and every failing
check's diagnosis is compared with the declaration.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from harness import diagnosis, engine
from harness.execution import execute
from harness.oracles.fd import FiniteDifferenceOracle
from harness.result import FAIL
from harness.specs import CATALOG
from harness.target import Target
from reference.mistakes import MISTAKES

MUTANTS = sorted((Path(__file__).parent / "mutants").glob("*.py"))
DECLARED = re.compile(r"backcheck-mutant: (\S+) (\S+) (\S+)(?: also (\S+))?")
SAME_EVIDENCE = {"bias-not-reduced": {"broadcast-shape"},
                 "norm-dgamma-not-summed": {"broadcast-shape"}}
"""With a batch of 1 an unsummed gradient is the summed one with an extra axis: both fit."""
NAMED_AT_LEAST = 0.85
NEW_LAYERS = ("SVMLoss", "SpatialBatchNorm", "GroupNorm", "MaxPool2d", "AvgPool2d", "Conv2d",
              "Embedding", "RNNCell", "RNN", "LSTMCell", "LSTM", "GRUCell", "TemporalAffine",
              "TemporalSoftmaxLoss", "Attention", "MultiHeadAttention", "GELU", "SiLU", "ELU",
              "Softplus", "Identity", "ConvTranspose1d", "ConvTranspose2d", "Upsample1d",
              "Upsample2d", "Downsample1d", "Downsample2d", "MaxPool1d", "AvgPool1d",
              "SigmoidNet", "TwoLayerNet")
"""The layers the catalog grew by (issue #13): each needs a wrong-forward and a
wrong-gradient one-bug file here."""


def declaration(path: Path) -> tuple[str, str, str | None]:
    layer, quantity, kind, _ = DECLARED.search(path.read_text()).groups()
    return layer, quantity, None if kind == "unnamed" else kind


def carried_over(path: Path) -> set[str]:
    also = DECLARED.search(path.read_text()).group(4)
    return set(also.split(",")) if also else set()


@cache
def named(path: Path) -> dict[str, set[str | None]]:
    """Quantity -> the kinds the diagnosis gave its failing checks (None: no hint)."""
    layer, _, _ = declaration(path)
    spec, seen = CATALOG[layer], {}

    def recording(target, jobs):
        run = execute(target, jobs)
        seen.update(run.outcomes)
        return run

    result = engine.check(Target(str(path)), [spec], ["float32", "float64"], ["fd"],
                          executor=recording)
    kinds: dict[str, set[str | None]] = {}
    for check in result.checks:
        if check.verdict != FAIL:
            continue
        case = spec.case(check.case, check.dtype)
        outcome = seen[case.id]
        expected = FiniteDifferenceOracle().evaluate(spec, case).value(check.quantity)
        found = (diagnosis.find(spec, case, check.quantity, outcome.value(check.quantity),
                                expected)
                 or diagnosis.violation(spec, case, check.quantity,
                                        {**outcome.observations, "single": outcome.grads}))
        kinds.setdefault(check.quantity, set()).add(found.kind if found else None)
    return kinds


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("path", MUTANTS, ids=[p.stem for p in MUTANTS])
def test_mutant_is_caught_and_never_misnamed(path):
    layer, quantity, kind = declaration(path)
    kinds = named(path)
    assert quantity in kinds, f"{path.stem}: {quantity} of {layer} did not fail"
    allowed = {None, kind} | SAME_EVIDENCE.get(kind, set()) | carried_over(path)
    wrong = {q: k - allowed for q, k in kinds.items() if k - allowed}
    assert not wrong, f"{path.stem} got a wrong hint: {wrong}"
    if kind is not None:
        assert kind in kinds[quantity], f"{path.stem}: {kind} not named ({kinds})"


def test_corpus_covers_every_modelled_layer_with_sixty_files():
    """Every layer with mistake models has mutants here (layers added with their own
    one-bug fixtures, under tests/fixtures/, are checked by their catalog tests)."""
    layers = {declaration(p)[0] for p in MUTANTS}
    assert len(MUTANTS) >= 60
    assert layers >= set(MISTAKES)


@pytest.mark.parametrize("layer", NEW_LAYERS)
def test_new_layer_has_a_wrong_forward_and_a_wrong_gradient_mutant(layer):
    """A declared ``out`` is a wrong forward statistic; any other quantity a wrong gradient."""
    declared = {quantity for path in MUTANTS for name, quantity, _ in [declaration(path)]
                if name == layer}
    assert "out" in declared, f"{layer} has no wrong-forward mutant"
    assert declared - {"out"}, f"{layer} has no wrong-gradient mutant"


def test_most_mutants_are_named():
    """At least 85% of the corpus named, counting every ``unnamed`` file as a miss."""
    hits = [kind is not None and kind in named(p).get(quantity, set())
            for p in MUTANTS for _, quantity, kind in [declaration(p)]]
    assert sum(hits) / len(hits) >= NAMED_AT_LEAST
