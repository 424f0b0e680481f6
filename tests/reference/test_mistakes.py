"""The mistake models: each one names a bug that shows on the catalog's cases, none fits
a correct layer, and no two fit the same array (so a hint can never be ambiguous)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from harness.diagnosis import fits
from harness.oracles.fd import FiniteDifferenceOracle
from harness.specs import CATALOG
from reference.mistakes import MISTAKES, Probe, of

MODELS = [(layer, m) for layer, models in MISTAKES.items() for m in models]


def _values(layer: str, quantity: str, dtype: str):
    """Per case: the correct value and every applicable model's value (float64)."""
    spec = CATALOG[layer]
    for case in spec.cases(dtype):
        expected = np.asarray(FiniteDifferenceOracle().evaluate(spec, case).value(quantity),
                              np.float64)
        values = {}
        for model in of(layer, quantity):
            try:
                values[model.kind] = np.asarray(model.value(Probe.of(case)), np.float64)
            except (ValueError, IndexError):
                continue
        yield case, expected, values


def test_every_model_is_of_a_catalog_layer_and_quantity():
    for layer, model in MODELS:
        assert model.quantity in CATALOG[layer].quantities, (layer, model.kind)
        assert model.title and model.found and model.fix


@pytest.mark.parametrize(("layer", "model"), MODELS, ids=[f"{m.layer}-{m.kind}-{m.quantity}"
                                                          for _, m in MODELS])
def test_model_shows_on_some_case(layer, model):
    """A model that equals the right answer on every case could never be named."""
    differs = [not fits(values[model.kind], expected)
               for _, expected, values in _values(layer, model.quantity, "float64")
               if model.kind in values]
    assert any(differs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("layer", "quantity"),
                         sorted({(layer, m.quantity) for layer, m in MODELS}))
def test_no_two_models_fit_the_same_array(layer, quantity, dtype):
    for case, expected, values in _values(layer, quantity, dtype):
        shown = {k: v for k, v in values.items() if not fits(v, expected)}
        for (a, va), (b, vb) in combinations(shown.items(), 2):
            assert not (fits(va, vb) or fits(vb, va)), f"{case.id}: {a} and {b} coincide"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("layer", sorted(MISTAKES))
def test_no_model_fits_a_correct_layer(layer, dtype):
    """The diagnosis names nothing on the reference's own output, for every quantity."""
    from harness import diagnosis

    spec = CATALOG[layer]
    for case in spec.cases(dtype):
        expected = FiniteDifferenceOracle().evaluate(spec, case)
        layer_obj = spec.reference_class()(**case.params, **case.config)
        out = layer_obj.forward(*[case.inputs[n] for n in spec.inputs])
        grads = layer_obj.backward(case.upstream)
        for quantity in spec.quantities:
            actual = out if quantity == "out" else grads[quantity[1:]]
            actual = np.asarray(actual)
            assert diagnosis.find(spec, case, quantity, actual,
                                  expected.value(quantity)) is None, (case.id, quantity)
