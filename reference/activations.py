"""Element-wise activations and softmax; each backward uses what forward cached."""

from __future__ import annotations

import numpy as np


class ReLU:
    """``max(x, 0)``; its derivative is taken as 0 at 0 (cases avoid 0)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.mask = x > 0
        return np.where(self.mask, x, 0).astype(x.dtype)

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": dout * self.mask}


class LeakyReLU:
    """``x`` where positive, ``negative_slope * x`` elsewhere."""

    def __init__(self, negative_slope: float = 0.01):
        self.negative_slope = negative_slope

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.slope = np.where(x > 0, 1.0, self.negative_slope).astype(x.dtype)
        return x * self.slope

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": dout * self.slope}


class Sigmoid:
    """Logistic function; the derivative is ``s * (1 - s)`` of the *output* ``s``."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = 1.0 / (1.0 + np.exp(-x))
        return self.out

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": dout * self.out * (1.0 - self.out)}


class Tanh:
    """Hyperbolic tangent; the derivative is ``1 - t**2`` of the output ``t``."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": dout * (1.0 - self.out**2)}


class Softmax:
    """Softmax over the last axis, shifted by the row maximum for stability."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        shifted = np.exp(x - x.max(axis=-1, keepdims=True))
        self.out = shifted / shifted.sum(axis=-1, keepdims=True)
        return self.out

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        inner = (dout * self.out).sum(axis=-1, keepdims=True)
        return {"x": self.out * (dout - inner)}
