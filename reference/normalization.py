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


def _standardize(x: np.ndarray, axes: tuple[int, ...], eps: float):
    """``(x̂, 1/std)`` of ``x`` over ``axes``, biased variance."""
    centered = x - x.mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(np.mean(centered**2, axis=axes, keepdims=True) + eps)
    return centered * inv_std, inv_std


def _standardize_backward(dxhat: np.ndarray, xhat: np.ndarray, inv_std: np.ndarray,
                          axes: tuple[int, ...]) -> np.ndarray:
    """The gradient of ``x`` through :func:`_standardize`, given that of ``x̂``."""
    mean = dxhat.mean(axis=axes, keepdims=True)
    proj = np.mean(dxhat * xhat, axis=axes, keepdims=True)
    return inv_std * (dxhat - mean - xhat * proj)


class SpatialBatchNorm:
    """BatchNorm2d in training mode: x (N, C, H, W) standardized per channel over (N, H, W).

    ``gamma``, ``beta`` (C,); biased variance; CS231n's ``spatial_batchnorm_forward``.
    """

    axes = (0, 2, 3)

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5):
        self.gamma, self.beta, self.eps = gamma, beta, eps

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.xhat, self.inv_std = _standardize(x, self.axes, self.eps)
        return self.gamma[:, None, None] * self.xhat + self.beta[:, None, None]

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        dxhat = dout * self.gamma[:, None, None]
        return {
            "x": _standardize_backward(dxhat, self.xhat, self.inv_std, self.axes),
            "gamma": np.sum(dout * self.xhat, axis=(0, 2, 3)),
            "beta": dout.sum(axis=(0, 2, 3)),
        }


class GroupNorm:
    """x (N, C, H, W) in ``G`` groups of C/G channels, each standardized over (C/G, H, W).

    Statistics are per sample and group (never per position); ``gamma``, ``beta`` (C,)
    scale and shift per channel, as ``torch.nn.GroupNorm``.
    """

    axes = (2, 3, 4)

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, G: int, eps: float = 1e-5):
        self.gamma, self.beta, self.G, self.eps = gamma, beta, G, eps

    def forward(self, x: np.ndarray) -> np.ndarray:
        n, c, h, w = self.shape = x.shape
        grouped = x.reshape(n, self.G, c // self.G, h, w)
        xhat, self.inv_std = _standardize(grouped, self.axes, self.eps)
        self.xhat = xhat.reshape(x.shape)
        return self.gamma[:, None, None] * self.xhat + self.beta[:, None, None]

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        n, c, h, w = self.shape
        grouped = (n, self.G, c // self.G, h, w)
        dxhat = (dout * self.gamma[:, None, None]).reshape(grouped)
        dx = _standardize_backward(dxhat, self.xhat.reshape(grouped), self.inv_std, self.axes)
        return {
            "x": dx.reshape(self.shape),
            "gamma": np.sum(dout * self.xhat, axis=(0, 2, 3)),
            "beta": dout.sum(axis=(0, 2, 3)),
        }
