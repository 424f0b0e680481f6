"""The reference against gradients worked out by hand on tiny examples."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from reference.activations import Sigmoid, Softmax, Tanh
from reference.conv import Conv1d
from reference.dropout import Dropout
from reference.flatten import Flatten
from reference.linear import Linear
from reference.losses import BCELoss, CrossEntropy, MSELoss
from reference.normalization import BatchNorm, LayerNorm
from reference.pooling import AvgPool2d, MaxPool2d


def test_linear():
    layer = Linear(W=np.array([[1.0, 2, 3], [4, 5, 6]]), b=np.array([0.5, 0, -0.5]))
    assert_allclose(layer.forward(np.array([[1.0, 2]])), [[9.5, 12, 14.5]])
    grads = layer.backward(np.array([[1.0, 0, -1]]))
    assert_allclose(grads["x"], [[-2, -2]])
    assert_allclose(grads["W"], [[1, 0, -1], [2, 0, -2]])
    assert_allclose(grads["b"], [1, 0, -1])


def test_linear_sums_the_bias_gradient_over_the_batch():
    layer = Linear(W=np.eye(2), b=np.zeros(2))
    layer.forward(np.ones((3, 2)))
    assert_allclose(layer.backward(np.array([[1.0, 2], [3, 4], [5, 6]]))["b"], [9, 12])


def test_sigmoid_and_tanh_derivatives():
    sigmoid, tanh = Sigmoid(), Tanh()
    assert_allclose(sigmoid.forward(np.array([0.0, np.log(3)])), [0.5, 0.75])
    assert_allclose(sigmoid.backward(np.ones(2))["x"], [0.25, 0.1875])
    tanh.forward(np.array([0.0]))
    assert_allclose(tanh.backward(np.array([2.0]))["x"], [2.0])


def test_softmax_of_equal_logits():
    softmax = Softmax()
    assert_allclose(softmax.forward(np.zeros((1, 2))), [[0.5, 0.5]])
    assert_allclose(softmax.backward(np.array([[1.0, 0]]))["x"], [[0.25, -0.25]])


def test_mse_divides_by_the_number_of_elements():
    loss = MSELoss()
    assert_allclose(loss.forward(np.array([[1.0], [3]]), np.zeros((2, 1))), 5.0)
    assert_allclose(loss.backward()["x"], [[1], [3]])


def test_bce():
    loss = BCELoss()
    value = loss.forward(np.array([[0.5], [0.8]]), np.array([[1.0], [0]]))
    assert_allclose(value, np.log(10) / 2)
    assert_allclose(loss.backward()["x"], [[-1], [2.5]])


def test_cross_entropy_is_softmax_minus_one_hot_over_n():
    loss = CrossEntropy()
    value = loss.forward(np.array([[0.0, 0], [np.log(3), 0]]), np.array([1, 0]))
    assert_allclose(value, (np.log(2) - np.log(0.75)) / 2)
    assert_allclose(loss.backward()["x"], [[0.25, -0.25], [-0.125, 0.125]])


def test_cross_entropy_is_stable_for_huge_logits():
    loss = CrossEntropy()
    assert_allclose(loss.forward(np.array([[1000.0, 0]]), np.array([1])), 1000.0)
    assert np.all(np.isfinite(loss.backward()["x"]))


def test_conv1d():
    conv = Conv1d(W=np.array([[[1.0, -1]]]), b=np.array([0.5]))
    assert_allclose(conv.forward(np.array([[[1.0, 2, 3, 4]]])), [[[-0.5, -0.5, -0.5]]])
    grads = conv.backward(np.ones((1, 1, 3)))
    assert_allclose(grads["W"], [[[6, 9]]])
    assert_allclose(grads["b"], [3])
    assert_allclose(grads["x"], [[[1, 0, 0, -1]]])


def test_conv1d_with_stride_and_padding():
    # Padded input 0 1 2 3 4 0, windows at 0, 2 and 4: [0 1], [2 3], [4 0].
    conv = Conv1d(W=np.array([[[1.0, -1]]]), b=np.array([0.5]), stride=2, padding=1)
    assert_allclose(conv.forward(np.array([[[1.0, 2, 3, 4]]])), [[[-0.5, -0.5, 4.5]]])
    grads = conv.backward(np.ones((1, 1, 3)))
    assert_allclose(grads["W"], [[[6, 4]]])
    assert_allclose(grads["x"], [[[-1, 1, -1, 1]]])


def test_max_pool_routes_the_gradient_to_the_maximum():
    pool = MaxPool2d(kernel_size=2, stride=2)
    assert_allclose(pool.forward(np.array([[[[1.0, 2], [4, 3]]]])), [[[[4]]]])
    assert_allclose(pool.backward(np.array([[[[5.0]]]]))["x"], [[[[0, 0], [5, 0]]]])


def test_overlapping_max_pool_windows_add_their_gradients():
    # The centre 9 is the maximum of all four 2x2 windows (stride 1).
    x = np.array([[[[1.0, 2, 3], [4, 9, 5], [6, 7, 8]]]])
    pool = MaxPool2d(kernel_size=2, stride=1)
    pool.forward(x)
    dx = pool.backward(np.ones((1, 1, 2, 2)))["x"]
    assert_allclose(dx, [[[[0, 0, 0], [0, 4, 0], [0, 0, 0]]]])


def test_avg_pool_shares_the_gradient_equally():
    pool = AvgPool2d(kernel_size=2, stride=2)
    assert_allclose(pool.forward(np.arange(4.0).reshape(1, 1, 2, 2)), [[[[1.5]]]])
    assert_allclose(pool.backward(np.array([[[[4.0]]]]))["x"], np.ones((1, 1, 2, 2)))


def test_layer_norm_gradient_is_blind_to_shift_and_scale_of_a_sample():
    # With eps = 0 the output does not change when a row is shifted or scaled, so
    # dx is orthogonal to the ones vector and to x̂ in every row.
    rng = np.random.default_rng(0)
    layer = LayerNorm(gamma=rng.standard_normal(5), beta=rng.standard_normal(5), eps=0.0)
    layer.forward(rng.standard_normal((3, 5)))
    dx = layer.backward(rng.standard_normal((3, 5)))["x"]
    assert_allclose(dx.sum(axis=1), 0, atol=1e-12)
    assert_allclose((dx * layer.xhat).sum(axis=1), 0, atol=1e-12)


def test_layer_norm_of_two_features():
    layer = LayerNorm(gamma=np.array([2.0, 1]), beta=np.array([0.0, 1]), eps=0.0)
    assert_allclose(layer.forward(np.array([[1.0, 3]])), [[-2, 2]])
    grads = layer.backward(np.array([[1.0, 1]]))
    assert_allclose(grads["gamma"], [-1, 1])
    assert_allclose(grads["beta"], [1, 1])


def test_batch_norm_standardizes_each_feature_over_the_batch():
    layer = BatchNorm(gamma=np.ones(2), beta=np.zeros(2), eps=0.0)
    out = layer.forward(np.array([[1.0, 10], [2, 20], [3, 60]]))
    assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    assert_allclose(out.std(axis=0), 1)
    dx = layer.backward(np.array([[1.0, 2], [0, 1], [5, -3]]))["x"]
    assert_allclose(dx.sum(axis=0), 0, atol=1e-12)


def test_dropout_scales_kept_units():
    layer = Dropout(p=0.5)
    out = layer.forward(np.array([[1.0, 2, 3, 4]]), np.array([[1.0, 0, 1, 0]]))
    assert_allclose(out, [[2, 0, 6, 0]])
    assert_allclose(layer.backward(np.array([[1.0, 1, 3, 1]]))["x"], [[2, 0, 6, 0]])


def test_flatten_round_trip():
    layer = Flatten()
    x = np.arange(24.0).reshape(2, 3, 2, 2)
    out = layer.forward(x)
    assert out.shape == (2, 12)
    assert_allclose(out[1], np.arange(12.0, 24))
    assert layer.backward(out)["x"].shape == x.shape
