"""Layers: ``forward(x)`` caches what ``backward(grad)`` needs and returns the output."""

from __future__ import annotations

import numpy as np


class Dense:
    """``y = x @ W.T + b`` with ``W`` of shape (out_features, in_features)."""

    def __init__(self, in_features: int, out_features: int, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.W = rng.standard_normal((out_features, in_features)) / np.sqrt(in_features)
        self.b = np.zeros(out_features)
        self.grad_W = np.zeros_like(self.W)
        self.grad_b = np.zeros_like(self.b)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._x = x
        return x @ self.W.T + self.b

    def backward(self, grad: np.ndarray) -> np.ndarray:
        """Store ``grad_W`` and ``grad_b``; return the gradient of the input."""
        self.grad_W = grad.T @ self._x
        self.grad_b = grad.sum(axis=0)
        return grad @ self.W


class ReLU:
    """``max(x, 0)``."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._active = x > 0
        return np.where(self._active, x, 0).astype(x.dtype)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return np.where(self._active, grad, 0).astype(grad.dtype)


class Sigmoid:
    """``1 / (1 + exp(-x))``."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._y = 1 / (1 + np.exp(-x))
        return self._y

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad * self._y * (1 - self._y)


class Tanh:
    """``tanh(x)``."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._y = np.tanh(x)
        return self._y

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad * (1 - self._y**2)
