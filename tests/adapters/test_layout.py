"""Layouts: converted both ways, and wrong shapes left for the comparison to report."""

from __future__ import annotations

import numpy as np

from harness.adapters import layout
from harness.adapters.conventions import Conventions
from harness.specs import CATALOG


def test_channels_last_round_trips_inputs_and_kernels():
    spec = CATALOG["Conv2d"]
    case = spec.case(2, "float64")
    moves = layout.for_conventions(spec, case, Conventions(channels_last=True))
    x, W = case.inputs["x"], case.params["W"]
    theirs_x, theirs_W = moves.theirs("x", x), moves.theirs("W", W)
    assert theirs_x.shape == (x.shape[0], *x.shape[2:], x.shape[1])
    assert theirs_W.shape == (*W.shape[2:], W.shape[1], W.shape[0])
    np.testing.assert_array_equal(moves.ours("x", theirs_x), x)
    np.testing.assert_array_equal(moves.ours("W", theirs_W), W)


def test_a_gradient_of_the_wrong_shape_is_left_alone():
    moves = layout.Layout()
    layout.bias(moves, "b", 3, "column")
    assert moves.theirs("b", np.arange(3.0)).shape == (3, 1)
    assert moves.ours("b", np.zeros((3, 1))).shape == (3,)
    assert moves.ours("b", np.zeros((1, 3))).shape == (1, 3)
    assert moves.ours("b", [1.0, 2.0]) == [1.0, 2.0]


def test_kinds_are_read_from_shapes():
    assert layout.bias_kind((1, 4)) == "row"
    assert layout.bias_kind((4, 1)) == "column"
    assert layout.bias_kind((4,)) == "flat"
    assert layout.weight_kind((2, 3), (3, 2)) == "out-in"
    assert layout.weight_kind((3, 2), (3, 2)) == "in-out"


def test_channels_last_keeps_a_transposed_kernel_in_then_out():
    """numpy-ml's Deconv2D kernel is (kh, kw, in, out), as ours is (in, out, kh, kw)."""
    spec = CATALOG["ConvTranspose2d"]
    case = spec.case(2, "float64")
    moves = layout.for_conventions(spec, case, Conventions(channels_last=True))
    W = case.params["W"]
    theirs = moves.theirs("W", W)
    assert theirs.shape == (*W.shape[2:], W.shape[0], W.shape[1])
    np.testing.assert_array_equal(theirs[..., 1, 2], W[1, 2])
    np.testing.assert_array_equal(moves.ours("W", theirs), W)
    assert moves.theirs("x", case.inputs["x"]).shape[-1] == case.inputs["x"].shape[1]


def test_channels_last_moves_a_spatial_batch_norms_channels_to_the_end():
    spec = CATALOG["SpatialBatchNorm"]
    case = spec.case(0, "float64")
    moves = layout.for_conventions(spec, case, Conventions(channels_last=True))
    x = case.inputs["x"]
    np.testing.assert_array_equal(moves.theirs("x", x), np.moveaxis(x, 1, -1))
    np.testing.assert_array_equal(moves.ours("out", moves.theirs("x", x)), x)
