"""Sliding windows over the trailing spatial axes, and their adjoint.

Convolutions and pools read every window of ``x`` (N, C, *spatial) as a strided view
(no copy, no Python loop over positions); their backward folds each window's gradient
back onto the positions it was read from, which is the adjoint of that view.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def per_axis(value: int | tuple[int, ...], axes: int) -> tuple[int, ...]:
    """A stride or padding for each of ``axes`` spatial axes (an int applies to all)."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * axes


def windows(x: np.ndarray, kernel: tuple[int, ...], stride: int | tuple[int, ...]
            ) -> np.ndarray:
    """A read-only view (N, C, *out, *kernel) of every ``kernel``-sized window."""
    axes = tuple(range(2, 2 + len(kernel)))
    view = sliding_window_view(x, kernel, axis=axes)
    steps = tuple(slice(None, None, s) for s in per_axis(stride, len(kernel)))
    return view[(slice(None), slice(None), *steps)]


def fold(dwin: np.ndarray, shape: tuple[int, ...], stride: int | tuple[int, ...]
         ) -> np.ndarray:
    """The gradient (``shape``) of ``x`` given the gradient ``dwin`` of ``windows(x)``.

    Windows overlap when ``stride`` is smaller than the kernel, so contributions are
    added: one vectorized slice-add per kernel offset.
    """
    spatial = (dwin.ndim - 2) // 2
    out, kernel = dwin.shape[2 : 2 + spatial], dwin.shape[2 + spatial :]
    steps = per_axis(stride, spatial)
    dx = np.zeros(shape, dtype=dwin.dtype)
    for offset in np.ndindex(*kernel):
        where = tuple(slice(o, o + s * n, s) for o, n, s in zip(offset, out, steps, strict=True))
        dx[(..., *where)] += dwin[(..., *offset)]
    return dx


def pad(x: np.ndarray, padding: int | tuple[int, ...], fill: float = 0.0) -> np.ndarray:
    """``x`` with ``padding`` ``fill`` values (zeros; max-pooling pads with -inf) on both
    sides of every spatial axis (one padding per axis when a tuple).

    Written as a filled array plus one slice assignment: ``np.pad`` costs several times
    more, and finite differences call this thousands of times per case.
    """
    pads = per_axis(padding, x.ndim - 2)
    shape = (*x.shape[:2], *(n + 2 * p for n, p in zip(x.shape[2:], pads, strict=True)))
    padded = np.full(shape, fill, dtype=x.dtype)
    padded[_interior(padded.shape, pads)] = x
    return padded


def unpad(dx: np.ndarray, padding: int | tuple[int, ...]) -> np.ndarray:
    """The inverse crop of :func:`pad` (used on gradients)."""
    return dx[_interior(dx.shape, per_axis(padding, dx.ndim - 2))]


def _interior(shape: tuple[int, ...], pads: tuple[int, ...]) -> tuple[slice, ...]:
    return (slice(None), slice(None),
            *(slice(p, n - p) for n, p in zip(shape[2:], pads, strict=True)))
