"""Constructor values respelled as a library's signature asks (``harness.adapters.arguments``)
and the constructor names read as roles (``harness.adapters.names``)."""

from __future__ import annotations

import inspect
from typing import Tuple  # noqa: UP035 - the spelling the libraries use

import pytest

from harness.adapters import arguments, names


def _param(fn, name):
    return inspect.signature(fn).parameters[name]


def pool(pool_size: Tuple[int, int], stride: int = 2, padding="valid", size=3):  # noqa: UP006
    """A constructor in the style of a from-scratch library."""


def test_an_int_window_becomes_a_pair_only_where_the_signature_asks_for_one():
    assert arguments.spelled(_param(pool, "pool_size"), "kernel_size", 2, {}) == (2, 2)
    assert arguments.spelled(_param(pool, "stride"), "stride", 2, {}) == 2
    assert arguments.spelled(_param(pool, "size"), "kernel_size", 2, {}) == 2


def test_a_padding_with_a_string_default_is_given_as_a_mode_name():
    padding = _param(pool, "padding")
    assert arguments.spelled(padding, "padding", 0, {"kernel": (3, 3)}) == "valid"
    assert arguments.spelled(padding, "padding", 1, {"kernel": (3, 3), "stride": 1}) == "same"
    assert arguments.spelled(_param(pool, "stride"), "padding", 1, {}) == 1


@pytest.mark.parametrize("config", [{"kernel": (3, 3), "stride": 2},
                                    {"kernel": (2, 3), "stride": 1}])
def test_a_padding_neither_mode_says_is_refused_not_passed_on(config):
    with pytest.raises(arguments.Inexpressible, match="'same' or 'valid' only") as refused:
        arguments.spelled(_param(pool, "padding"), "padding", 1, config)
    assert refused.value.key == "padding"


def conv(stride=1, padding: int = 0, strides: int | tuple[int, int] = 1):
    """A constructor that takes one stride for both axes, and one that takes either."""


def test_a_per_axis_value_is_one_int_when_the_axes_agree_and_refused_when_they_do_not():
    assert arguments.spelled(_param(conv, "stride"), "stride", (2, 2), {}) == 2
    assert arguments.spelled(_param(conv, "padding"), "padding", (1, 1), {}) == 1
    assert arguments.spelled(_param(conv, "strides"), "stride", (2, 1), {}) == (2, 1)
    with pytest.raises(arguments.Inexpressible, match=r"one stride for every axis"):
        arguments.spelled(_param(conv, "stride"), "stride", (2, 1), {})


def test_a_flat_shape_is_given_three_dimensions_only_when_it_lacks_them():
    assert arguments.image_shape((4,)) == (4, 1, 1)
    assert arguments.image_shape((3, 5, 5)) is None


def test_size_is_a_feature_count_or_a_pooling_window():
    assert names.roles("size") == ["features", "kernel_size"]
    assert names.role("X_dim") == "shape" and names.role("h_filter") == "kernel_h"


def test_layer_inside_a_class_name_is_dropped_last():
    assert names.layer_of("ConvLayer2D") == "Conv2d"
    assert names.layer_of("LayerNorm") == "LayerNorm"
    assert names.spellings("Layer") == ["layer"]


def test_a_function_pair_is_an_activation_only_with_a_generic_class_to_build():
    from harness.adapters import pairs

    def tanh(x):
        return x

    def tanh_prime(x):
        return x

    class Wrapper:
        def __init__(self, activation, activation_prime):
            self.f = activation

        def forward(self, x):
            return self.f(x)

        def backward(self, dout):
            return dout

    assert pairs.classes({"tanh": tanh, "tanh_prime": tanh_prime}) == {}
    built = pairs.classes({"tanh": tanh, "tanh_prime": tanh_prime, "Wrapper": Wrapper})
    assert built["Tanh"].__name__ == "Wrapper(tanh, tanh_prime)"
    assert built["Tanh"]().f is tanh


def test_a_loss_pair_is_called_in_the_order_its_argument_names_say():
    from harness.adapters import pairs

    def mse(prediction, target):
        return prediction - target

    def mse_prime(prediction, target):
        return prediction

    def bce(p, q):
        return p

    def bce_prime(p, q):
        return q

    found = pairs.classes({"mse": mse, "mse_prime": mse_prime, "bce": bce,
                           "bce_prime": bce_prime})
    assert set(found) == {"MSELoss"}
    assert found["MSELoss"]().forward(5, 3) == 2
