"""Networks: gradients by name, ``sgd_step``, and training that actually learns."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from harness.specs import CATALOG
from reference.networks import LinearRegression
from reference.optim import sgd

NETWORKS = ["LinearRegression", "RegressionMLP", "XORNet", "TwoLayerNet", "SigmoidNet"]


def test_sgd_returns_new_arrays():
    params = {"W": np.array([1.0, 2.0])}
    updated = sgd(params, {"W": np.array([10.0, -10.0])}, lr=0.1)
    assert_allclose(updated["W"], [0.0, 3.0])
    assert_array_equal(params["W"], [1.0, 2.0])


@pytest.mark.parametrize("name", NETWORKS)
def test_sgd_step_applies_the_last_gradients_and_keeps_the_case(name):
    spec = CATALOG[name]
    case = spec.case(1, "float32")
    net = spec.reference_class()(**case.params)
    net.forward(case.inputs["x"], case.inputs["target"])
    grads = net.backward()
    net.sgd_step(0.1)
    for param, value in net.params().items():
        assert value.dtype == np.float32
        assert_allclose(value, case.params[param] - 0.1 * grads[param], rtol=1e-6)
    fresh = spec.case(1, "float32")
    for param in spec.params:
        assert_array_equal(case.params[param], fresh.params[param], err_msg=param)


@pytest.mark.parametrize("name", NETWORKS)
def test_small_sgd_steps_lower_the_loss(name):
    spec = CATALOG[name]
    case = spec.case(2, "float64")
    net = spec.reference_class()(**case.params)
    losses = []
    for _ in range(20):
        losses.append(float(net.forward(case.inputs["x"], case.inputs["target"])))
        net.backward()
        net.sgd_step(0.01)
    assert all(b < a for a, b in pairwise(losses)), losses


def test_linear_regression_learns_the_line():
    x = np.linspace(0.0, 5.0, 11).reshape(-1, 1)
    net = LinearRegression(W=np.zeros((1, 1)), b=np.zeros(1))
    for _ in range(3000):
        net.forward(x, 3.0 * x + 2.0)
        net.backward()
        net.sgd_step(0.05)
    assert_allclose(net.params()["W"], [[3.0]], rtol=1e-4)
    assert_allclose(net.params()["b"], [2.0], rtol=1e-4)
