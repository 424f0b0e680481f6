"""The text format: handshake parsing and array lines that round-trip exactly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from harness.adapters.protocol import ProtocolError, array_line, parse_array, parse_handshake


def test_a_handshake_gives_each_layer_its_conventions():
    shake = parse_handshake(["backcheck-protocol 1", "layer Linear weight=out-in bias=column",
                             "", "layer MSELoss loss_grad=sum batch=columns"])
    linear, mse = shake.layers["Linear"], shake.layers["MSELoss"]
    assert (linear.conventions.weight, linear.conventions.bias, linear.batch) == \
        ("out-in", "column", "rows")
    assert (mse.conventions.loss_grad, mse.batch) == ("sum", "columns")


@pytest.mark.parametrize(("lines", "says"), [
    (["hello"], "first line must be 'backcheck-protocol 1'"),
    (["backcheck-protocol 7"], "speaks backcheck-protocol 7"),
    (["backcheck-protocol 1", "layer Linear colour=red"], "unknown convention 'colour'"),
    (["backcheck-protocol 1", "layer Linear bias=auto"], "bias=auto cannot be read"),
    (["backcheck-protocol 1", "layer Linear batch=diagonal"], "choose rows or columns"),
    (["backcheck-protocol 1", "layer Linear weight=sideways"], "weight='sideways' is not valid"),
    (["backcheck-protocol 1", "Linear"], "expected 'layer NAME"),
])
def test_a_bad_handshake_says_what_is_wrong(lines, says):
    with pytest.raises(ProtocolError) as raised:
        parse_handshake(lines)
    assert says in str(raised.value)


floats = st.sampled_from(["float32", "float64"]).flatmap(
    lambda dtype: hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
                             elements=hnp.from_dtype(np.dtype(dtype), allow_nan=False)))


@given(floats)
def test_array_lines_round_trip_bit_for_bit(array):
    name, back = parse_array(array_line("x", array))
    assert name == "x"
    assert back.shape == array.shape
    assert np.array_equal(back.astype(array.dtype), array)


def test_non_finite_values_in_any_language_spelling_are_read():
    _, back = parse_array("array out 1 4 NaN inf -Infinity 1e-5")
    assert np.isnan(back[0]) and back[1] == np.inf and back[2] == -np.inf and back[3] == 1e-5


@pytest.mark.parametrize(("line", "says"), [
    ("array out 2 2 2 1 2 3", "needs 4 values, got 3"),
    ("array out 1 2 1 two", "a value is not a number"),
    ("array out x 2", "must be integers"),
    ("out 0 1", "expected 'array NAME NDIM"),
])
def test_a_bad_array_line_says_what_is_wrong(line, says):
    with pytest.raises(ValueError) as raised:
        parse_array(line)
    assert says in str(raised.value)
