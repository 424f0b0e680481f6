"""Word embedding: a lookup of rows of a weight matrix by integer index."""

from __future__ import annotations

import numpy as np


class Embedding:
    """``W[x]``: integer indices ``x`` (N, T) pick rows of ``W`` (V, D) -> (N, T, D).

    As CS231n's ``word_embedding_forward``. ``x`` is not differentiated; the gradient of
    ``W`` adds every ``dout`` row into the row it came from, so an index used twice
    collects both (``np.add.at``; a plain ``dW[x] = dout`` keeps only one of them).
    """

    def __init__(self, W: np.ndarray):
        self.W = W

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return self.W[x]

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        dW = np.zeros_like(self.W)
        np.add.at(dW, self.x, dout)
        return {"W": dW}
