"""The three oracles agree on every case, and the reference agrees with each of them.

Oracles compute in float64 and must agree to ``ORACLE_AGREEMENT``; the reference runs
in the case's own dtype and is held to that dtype's tolerance, as a student would be.
"""

from __future__ import annotations

import time
from itertools import combinations

import pytest
from oracle_helpers import CASES, ORACLES, mismatches, run

from harness.specs import CATALOG
from harness.tolerance import ORACLE_AGREEMENT, for_dtype


@pytest.mark.parametrize("pair", list(combinations(ORACLES, 2)), ids="-".join)
@pytest.mark.parametrize(("spec", "index", "dtype"), CASES)
def test_oracles_agree(expected, spec, index, dtype, pair):
    case = spec.case(index, dtype)
    first, second = (expected(name, spec, case) for name in pair)
    assert not mismatches(first, second, spec.quantities, ORACLE_AGREEMENT)


@pytest.mark.parametrize("oracle", ORACLES)
@pytest.mark.parametrize(("spec", "index", "dtype"), CASES)
def test_reference_matches_oracle(expected, spec, index, dtype, oracle):
    case = spec.case(index, dtype)
    reference = run(spec.reference_class(), spec, case)
    assert not mismatches(reference, expected(oracle, spec, case), spec.quantities,
                          for_dtype(dtype))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Conv1d", "Conv2d"])
def test_finite_differences_of_a_conv_case_take_well_under_a_second(expected, name):
    spec = CATALOG[name]
    oracle = expected.oracle("fd")
    for case in spec.cases("float64"):
        start = time.perf_counter()
        oracle.evaluate(spec, case)
        assert time.perf_counter() - start < 1.0, case.id
