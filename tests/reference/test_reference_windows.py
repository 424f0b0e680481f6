"""The window view shared by convolutions and pools, and its adjoint ``fold``."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from reference.windows import fold, pad, unpad, windows


@pytest.mark.parametrize(
    ("shape", "kernel", "stride"),
    [((2, 3, 7), (3,), 2), ((1, 2, 5, 6), (2, 3), 1), ((2, 1, 7, 6), (3, 3), 3)],
)
def test_fold_is_the_adjoint_of_windows(shape, kernel, stride):
    # <windows(x), w> == <x, fold(w)> for every x and w defines the adjoint.
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape)
    view = windows(x, kernel, stride)
    w = rng.standard_normal(view.shape)
    assert_allclose(np.sum(view * w), np.sum(x * fold(w, x.shape, stride)))


def test_windows_drop_positions_where_the_kernel_does_not_fit():
    x = np.arange(7.0).reshape(1, 1, 7)
    assert_array_equal(windows(x, (3,), 3)[0, 0], [[0, 1, 2], [3, 4, 5]])


def test_pad_then_unpad_is_the_identity():
    x = np.arange(12, dtype=np.float32).reshape(1, 2, 2, 3)
    padded = pad(x, 2)
    assert padded.shape == (1, 2, 6, 7)
    assert padded.dtype == np.float32
    assert padded.sum() == x.sum()
    assert_array_equal(unpad(padded, 2), x)
