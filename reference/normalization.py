"""Layer and batch normalization: the same standardization along different axes.

Both standardize ``x`` (N, D) along one axis, ``x̂ = (x - mean) / sqrt(var + eps)``
with the biased variance, then scale and shift per feature, ``gamma * x̂ + beta``.
LayerNorm standardizes each sample over its features (axis 1), BatchNorm (training
mode) each feature over the batch (axis 0). Their backward is therefore shared too.
"""

from __future__ import annotations

import numpy as np


class _Normalization:
    """``gamma * standardize(x, axis) + beta`` with ``gamma``, ``beta`` of shape (D,)."""

    axis: int

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5):
        self.gamma, self.beta, self.eps = gamma, beta, eps

    def forward(self, x: np.ndarray) -> np.ndarray:
        centered = x - x.mean(axis=self.axis, keepdims=True)
        var = np.mean(centered**2, axis=self.axis, keepdims=True)
        self.inv_std = 1.0 / np.sqrt(var + self.eps)
        self.xhat = centered * self.inv_std
        return self.gamma * self.xhat + self.beta

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        # x̂ depends on every element along the axis through the mean and variance,
        # which removes from dx̂ its mean and its projection on x̂.
        dxhat = dout * self.gamma
        mean = dxhat.mean(axis=self.axis, keepdims=True)
        proj = np.mean(dxhat * self.xhat, axis=self.axis, keepdims=True)
        return {
            "x": self.inv_std * (dxhat - mean - self.xhat * proj),
            "gamma": np.sum(dout * self.xhat, axis=0),
            "beta": dout.sum(axis=0),
        }


class LayerNorm(_Normalization):
    """Each sample standardized over its D features; ``eps`` as in PyTorch (1e-5)."""

    axis = 1


class BatchNorm(_Normalization):
    """Training mode: each feature standardized with its batch mean and biased variance.

    Needs at least two samples (a single one standardizes to 0); no running statistics.
    """

    axis = 0
