"""Cheap contract checks of every reference layer on every case, in both dtypes.

The reference is what students are compared with and what the fd oracle
differentiates, so it must keep the input dtype, return exactly the spec's gradients
in the right shapes, leave its inputs alone, and be linear in the upstream gradient.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from harness.case import DTYPES
from harness.specs import CATALOG

CASES = [
    pytest.param(spec, case, id=case.id)
    for spec in CATALOG.values()
    for dtype in DTYPES
    for case in spec.cases(dtype)
]


def forward(spec, case):
    layer = spec.reference_class()(**case.params, **case.config)
    return layer, layer.forward(*[case.inputs[name] for name in spec.inputs])


@pytest.mark.parametrize(("spec", "case"), CASES)
def test_keeps_the_dtype_and_returns_the_spec_gradients(spec, case):
    layer, out = forward(spec, case)
    grads = layer.backward(case.upstream)
    assert np.asarray(out).dtype == case.dtype
    assert set(grads) == set(spec.wrt)
    for name in spec.wrt:
        assert grads[name].dtype == case.dtype, name
        assert grads[name].shape == case.arrays()[name].shape, name


@pytest.mark.parametrize(("spec", "case"), CASES)
def test_leaves_its_inputs_alone(spec, case):
    before = {k: v.copy() for k, v in case.arrays().items()}
    layer, _ = forward(spec, case)
    layer.backward(case.upstream)
    for name, value in case.arrays().items():
        assert_array_equal(value, before[name], err_msg=name)


@pytest.mark.parametrize(("spec", "case"), CASES)
def test_backward_is_linear_in_the_upstream_gradient(spec, case):
    layer, _ = forward(spec, case)
    once = layer.backward(case.upstream)
    doubled = layer.backward(case.upstream * 2)
    zero = layer.backward(case.upstream * 0)
    for name in spec.wrt:
        assert_allclose(doubled[name], 2 * once[name], rtol=1e-6, err_msg=name)
        assert not np.any(zero[name]), name
