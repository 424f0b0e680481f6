"""The catalog's padded 2-D pooling (torch semantics) and per-axis Conv2d stride and
padding, the variants a CS231n-style library cannot express.

Each is checked on its own beside the catalog-wide tests: the reference against finite
differences, PyTorch and TensorFlow in both dtypes, the oracles against each other,
max-pool windows without ties across the padding, and the padding-only mistake models
naming their bug and no other. The CS231n adapter declares exactly these unsupported.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from harness.adapters.cs231n import CS231nAdapter
from harness.case import DTYPES
from harness.diagnosis import fits
from harness.specs import CATALOG
from harness.specs.conv import PER_AXIS
from harness.specs.pooling import PADDED
from harness.tolerance import ORACLE_AGREEMENT, for_dtype
from reference.mistakes import Probe
from reference.mistakes.pooling import PADDED_MISTAKES
from reference.windows import pad, windows

sys.path.insert(0, str(Path(__file__).parents[1] / "oracles"))
from oracle_helpers import ORACLES, make_oracle, mismatches, run

NEW = {"MaxPool2d": PADDED, "AvgPool2d": PADDED, "Conv2d": PER_AXIS}
SPECS = {name: replace(CATALOG[name], variants=v) for name, v in NEW.items()}
CASES = [(name, i, dtype) for name, spec in SPECS.items() for dtype in DTYPES
         for i in range(len(spec.variants))]


@pytest.fixture(scope="module")
def oracles():
    return {name: make_oracle(name) for name in ORACLES}


@pytest.mark.parametrize(("name", "index", "dtype"), CASES)
def test_reference_matches_every_oracle_and_they_agree(oracles, name, index, dtype):
    spec = SPECS[name]
    case = spec.case(index, dtype)
    outcomes = {o: oracles[o].evaluate(spec, case) for o in ORACLES}
    reference = run(spec.reference_class(), spec, case)
    for oracle, expected in outcomes.items():
        assert not mismatches(reference, expected, spec.quantities, for_dtype(dtype)), oracle
    for a, b in combinations(ORACLES, 2):
        assert not mismatches(outcomes[a], outcomes[b], spec.quantities, ORACLE_AGREEMENT)


def test_padded_max_pool_windows_have_one_clear_maximum_and_a_negative_border():
    spec = SPECS["MaxPool2d"]
    for salt in range(30):
        for case in spec.cases("float32", f"draw-{salt}"):
            k, s, p = (case.config[key] for key in ("kernel_size", "stride", "padding"))
            view = windows(pad(case.inputs["x"], p, -np.inf), (k, k), s)
            top = np.sort(view.reshape(*view.shape[:4], -1), axis=-1)
            assert (top[..., -1] - top[..., -2]).min() > 0.01, case.id
            assert case.inputs["x"].max() < 0, case.id


@pytest.mark.parametrize("model", PADDED_MISTAKES, ids=lambda m: f"{m.layer}-{m.kind}")
def test_padding_mistakes_show_and_never_coincide(oracles, model):
    spec = SPECS[model.layer]
    rivals = [m for m in PADDED_MISTAKES if m.layer == model.layer
              and m.quantity == model.quantity and m is not model]
    for case in spec.cases("float64"):
        expected = oracles["fd"].evaluate(spec, case).value(model.quantity)
        value = model.value(Probe.of(case))
        assert not fits(value, expected), case.id
        for rival in rivals:
            assert not fits(value, rival.value(Probe.of(case))), (case.id, rival.kind)


def test_the_catalog_runs_them_by_default():
    for name, new in NEW.items():
        assert all(v in CATALOG[name].variants for v in new), name


def test_cs231n_declares_exactly_what_its_dicts_cannot_say():
    adapter = CS231nAdapter()
    for name, new in NEW.items():
        for v in CATALOG[name].variants:
            answer = adapter.supports(name, v)
            assert isinstance(answer, str) if v in new else answer is True, (name, v)
