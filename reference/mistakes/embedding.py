"""Mistakes in the word embedding's lookup and weight gradient."""

from __future__ import annotations

import numpy as np

from reference.mistakes.model import Mistake, Probe


def _overwritten(p: Probe) -> np.ndarray:
    """``dW[x] = dout``: NumPy's fancy assignment keeps the last row written per index."""
    dW = np.zeros_like(p.params["W"])
    dW[p.x.astype(np.intp)] = p.upstream
    return dW


MISTAKES = (
    Mistake(
        "Embedding", "dW", "embedding-dw-overwritten",
        "the Embedding gradient assigns dout rows instead of adding them",
        "dW[x] = dout: an index used more than once keeps only its last gradient row",
        "np.add.at(dW, x, dout): every occurrence of an index adds its row",
        _overwritten,
    ),
    Mistake(
        "Embedding", "out", "embedding-take-flattened",
        "the Embedding forward indexes the flattened weight matrix",
        "np.take(W, x) without axis=0: single numbers W.ravel()[x], shape (N, T) instead "
        "of rows of W",
        "out = W[x] (or np.take(W, x, axis=0)): one row of W, of length D, per index",
        lambda p: p.params["W"].ravel()[p.x.astype(np.intp)],
    ),
)
