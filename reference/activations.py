"""Element-wise activations and softmax; each backward uses what forward cached."""

from __future__ import annotations

import math

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


_erf = np.frompyfunc(math.erf, 1, 1)


class GELU:
    """``x * Φ(x)`` with the exact Gaussian CDF ``Φ`` (not the tanh approximation).

    The derivative is ``Φ(x) + x * φ(x)``, ``φ`` the Gaussian density.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        self.cdf = (0.5 * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))).astype(x.dtype)
        return x * self.cdf

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        pdf = np.exp(-0.5 * self.x**2) / math.sqrt(2.0 * math.pi)
        return {"x": dout * (self.cdf + self.x * pdf)}


class SiLU:
    """Swish with ``beta = 1``: ``x * sigmoid(x)``; derivative ``s + x * s * (1 - s)``."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        self.s = 1.0 / (1.0 + np.exp(-x))
        return x * self.s

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        s = self.s
        return {"x": dout * (s + self.x * s * (1.0 - s))}


class ELU:
    """``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``; derivative 1 or ``out + alpha``."""

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.positive = x > 0
        self.out = np.where(self.positive, x, self.alpha * np.expm1(np.minimum(x, 0)))
        return self.out.astype(x.dtype)

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": dout * np.where(self.positive, 1.0, self.out + self.alpha).astype(dout.dtype)}


class Softplus:
    """``log(1 + exp(x))``, written ``max(x, 0) + log1p(exp(-|x|))`` so it never overflows.

    Its derivative is ``sigmoid(x)``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": dout / (1.0 + np.exp(-self.x))}


class Identity:
    """``x`` unchanged (CMU 11-785's first activation); its gradient passes ``dout`` on."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x.copy()

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": dout.copy()}
