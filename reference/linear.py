"""Fully connected layer: ``out = x @ W + b`` with ``W`` of shape (in, out)."""

from __future__ import annotations

import numpy as np


class Linear:
    """Affine map of a batch ``x`` (N, in) to (N, out)."""

    def __init__(self, W: np.ndarray, b: np.ndarray):
        self.W = W
        self.b = b

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {
            "x": dout @ self.W.T,
            "W": self.x.T @ dout,
            "b": dout.sum(axis=0),
        }
