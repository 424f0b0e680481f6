"""Drawing test values away from kinks and ties.

A correct float32 implementation must never fail, so cases avoid the places where the
gradient is undefined or the frameworks disagree: ReLU inputs near 0, max-pool windows
with two equal maxima, probabilities near 0 or 1.
"""

from __future__ import annotations

import numpy as np

KINK_GAP = 0.1
"""Smallest distance from a kink: far beyond any finite-difference step (1e-6 in f64)."""
MAX_REDRAWS = 1000
"""A draw that is rejected this often cannot be made for that shape (a bug, not bad luck)."""


def normal(rng: np.random.Generator, *shape: int, scale: float = 1.0) -> np.ndarray:
    """Gaussian values with the given scale."""
    return rng.standard_normal(shape) * scale


def away_from_zero(rng: np.random.Generator, *shape: int, gap: float = KINK_GAP) -> np.ndarray:
    """Values with ``gap <= |x| <= 2``, each sign equally likely."""
    magnitude = rng.uniform(gap, 2.0, size=shape)
    return magnitude * rng.choice((-1.0, 1.0), size=shape)


def distinct(rng: np.random.Generator, *shape: int, gap: float = KINK_GAP) -> np.ndarray:
    """Pairwise distinct values in about [-2, 2]: a shuffled, jittered grid.

    Any two differ by at least ``1.5 * gap`` for up to 20 values; larger arrays are
    shrunk into [-2, 2], so the spacing becomes ``3 / count`` (0.014 for 216 values,
    still ten times the finite-difference step). Used for max-pool inputs so that
    every window has one clear maximum.
    """
    count = int(np.prod(shape))
    grid = np.arange(count) * (2 * gap) + rng.uniform(0, gap / 2, size=count)
    values = rng.permutation(grid)
    return (values - values.mean()).reshape(shape) / max(1.0, count * gap / 2)


def probabilities(rng: np.random.Generator, *shape: int, margin: float = 0.05) -> np.ndarray:
    """Values in ``[margin, 1 - margin]``, away from where log blows up."""
    return rng.uniform(margin, 1 - margin, size=shape)


def labels(rng: np.random.Generator, count: int, classes: int) -> np.ndarray:
    """Integer class targets in ``[0, classes)``."""
    return rng.integers(0, classes, size=count).astype(np.int64)


def spread(rng: np.random.Generator, *shape: int, axis: int | tuple[int, ...],
           min_std: float = 0.5) -> np.ndarray:
    """Gaussian values (scale 1.5, shifted) whose std along ``axis`` is at least ``min_std``.

    Normalization divides by that std: a nearly constant slice would make the gradient
    huge and finite differences inaccurate, so such draws are redrawn.
    """
    along = int(np.prod([shape[a] for a in np.atleast_1d(axis)]))
    if along < 2:
        raise ValueError(f"a spread along axis {axis} needs two values there, not {shape}")
    for _ in range(MAX_REDRAWS):
        values = normal(rng, *shape, scale=1.5) + rng.uniform(-1.0, 1.0)
        if np.all(values.std(axis=axis) >= min_std):
            return values
    raise ValueError(f"no draw of shape {shape} has std >= {min_std} along axis {axis}")
