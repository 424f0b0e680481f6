"""Quality set: the correct reference is never flagged in float32, over many seeds.

The float32 tolerance must leave room for any correct float32 implementation; this
checks it, and that the draws avoid kinks and ties, on 200 seeds of every variant of
every layer against PyTorch (the fastest oracle). A failure here means a draw that
reaches a kink or a tie, or a tolerance that is too tight: never loosen it silently.
"""

from __future__ import annotations

import pytest
from oracle_helpers import mismatches, run

from harness.specs import CATALOG
from harness.tolerance import for_dtype

SEEDS = 200


@pytest.mark.slow
@pytest.mark.parametrize("spec", CATALOG.values(), ids=lambda spec: spec.name)
def test_reference_passes_in_float32_on_every_seed(expected, spec):
    torch = expected.oracle("torch")
    failures = []
    for salt in range(SEEDS):
        for index in range(len(spec.variants)):
            case = spec.case(index, "float32", salt=f"no-false-alarms-{salt}")
            found = mismatches(run(spec.reference_class(), spec, case),
                               torch.evaluate(spec, case), spec.quantities,
                               for_dtype("float32"))
            failures += [f"{case.id} seed {case.seed}: {line}" for line in found]
    assert not failures, "\n".join(failures[:5])
