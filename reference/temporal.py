"""Layers applied at every time step of a batch-first sequence (N, T, ...), as CS231n's
``temporal_affine_forward`` and ``temporal_softmax_loss``."""

from __future__ import annotations

import numpy as np


class TemporalAffine:
    """``x @ W + b`` at every step: ``x`` (N, T, D), ``W`` (D, M), ``b`` (M,) -> (N, T, M).

    The parameter gradients sum over the batch *and* time: ``dW`` adds ``x_t.T @ dout_t``
    over every step, ``db`` sums ``dout`` over axes 0 and 1.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        self.W, self.b = W, b

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        d, m = self.W.shape
        return {"x": dout @ self.W.T,
                "W": self.x.reshape(-1, d).T @ dout.reshape(-1, m),
                "b": dout.sum(axis=(0, 1))}


class TemporalSoftmaxLoss:
    """Softmax cross-entropy at every step of scores ``x`` (N, T, V) against integer
    targets (N, T), counted only where the boolean ``mask`` (N, T) is true: the losses
    are **summed over time and averaged over the batch** (divided by N, not by the number
    of unmasked steps), as CS231n's ``temporal_softmax_loss``."""

    def forward(self, x: np.ndarray, target: np.ndarray, mask: np.ndarray) -> np.ndarray:
        shifted = x - x.max(axis=2, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
        picked = np.take_along_axis(log_probs, target[..., None], axis=2)[..., 0]
        self.probs, self.target, self.mask = np.exp(log_probs), target, mask
        return -np.sum(picked * mask) / len(x)

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        grad = self.probs.copy()
        np.put_along_axis(grad, self.target[..., None],
                          np.take_along_axis(grad, self.target[..., None], axis=2) - 1.0,
                          axis=2)
        return {"x": dout * grad * self.mask[..., None] / len(grad)}
