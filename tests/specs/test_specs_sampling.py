"""The sampling helpers keep the promises their docstrings make."""

from __future__ import annotations

import numpy as np
import pytest

from harness.specs.sampling import away_from_zero, distinct, labels, probabilities, spread


def min_pairwise_gap(values: np.ndarray) -> float:
    return float(np.diff(np.sort(values.ravel())).min())


@pytest.mark.parametrize("count", [4, 12, 20])
def test_distinct_keeps_small_arrays_one_and_a_half_gaps_apart(count):
    values = distinct(np.random.default_rng(count), count, gap=0.1)
    assert min_pairwise_gap(values) >= 0.15 - 1e-12


@pytest.mark.parametrize("shape", [(2, 3, 5, 5), (2, 3, 6, 6)])
def test_distinct_shrinks_large_arrays_into_range(shape):
    values = distinct(np.random.default_rng(0), *shape)
    count = values.size
    assert np.abs(values).max() <= 2.0
    assert min_pairwise_gap(values) >= 3 / count - 1e-12


def test_away_from_zero_and_probabilities_respect_their_bounds():
    rng = np.random.default_rng(2)
    x = away_from_zero(rng, 1000)
    assert np.abs(x).min() >= 0.1 and np.abs(x).max() <= 2
    assert (x > 0).any() and (x < 0).any()
    p = probabilities(rng, 1000)
    assert p.min() >= 0.05 and p.max() <= 0.95


def test_spread_redraws_until_every_slice_varies():
    x = spread(np.random.default_rng(3), 2, 6, axis=0, min_std=0.8)
    assert x.std(axis=0).min() >= 0.8


def test_labels_are_int64_classes():
    y = labels(np.random.default_rng(4), 50, 3)
    assert y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1, 2}
