"""Losses: each forward returns a scalar mean over the batch; backward takes ``dout``
(1.0 when the loss is the end of the graph) and returns the gradient of the input."""

from __future__ import annotations

import numpy as np


class MSELoss:
    """Mean over every element of ``(x - target)**2``."""

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        self.diff = x - target
        return np.mean(self.diff**2)

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        return {"x": dout * 2.0 * self.diff / self.diff.size}


class BCELoss:
    """Mean binary cross-entropy of probabilities ``x`` in (0, 1) against ``target`` in [0, 1].

    Takes probabilities, not logits (as ``torch.nn.BCELoss``); it is not clamped, so
    ``x`` must stay away from 0 and 1.
    """

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        self.x, self.target = x, target
        return -np.mean(target * np.log(x) + (1.0 - target) * np.log(1.0 - x))

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        x = self.x
        return {"x": dout * (x - self.target) / (x * (1.0 - x)) / x.size}


class CrossEntropy:
    """Mean over the batch of ``-log softmax(x)[target]`` for logits ``x`` (N, C).

    ``target`` holds integer class indices (N,). The log-softmax is computed as
    ``x - max - log(sum(exp(x - max)))`` so that large logits cannot overflow.
    """

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        shifted = x - x.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs, self.target = np.exp(log_probs), target
        return -np.mean(log_probs[np.arange(len(target)), target])

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        grad = self.probs.copy()
        grad[np.arange(len(self.target)), self.target] -= 1.0
        return {"x": dout * grad / len(self.target)}


class SVMLoss:
    """Multiclass SVM (hinge) loss, as CS231n's ``svm_loss``: scores ``x`` (N, C), ``target`` (N,).

    ``mean over samples of sum over j != y of max(0, x_j - x_y + 1)``. Each positive
    margin adds 1 to ``dx_j`` and -1 to ``dx_y``; the hinge's kink (a margin of exactly 0)
    is kept out of the cases.
    """

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        rows = np.arange(len(target))
        margins = x - x[rows, target][:, None] + 1.0
        margins[rows, target] = 0.0
        self.active = (margins > 0).astype(x.dtype)
        self.target = target
        return np.sum(margins * self.active) / len(target)

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        grad = self.active.copy()
        rows = np.arange(len(self.target))
        grad[rows, self.target] = -self.active.sum(axis=1)
        return {"x": dout * grad / len(self.target)}
