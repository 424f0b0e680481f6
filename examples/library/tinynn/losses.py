"""Losses: ``forward(pred, target)`` returns a scalar; ``backward()`` its gradient."""

from __future__ import annotations

import numpy as np


class MSE:
    """Mean of ``(pred - target)**2`` over every element."""

    def forward(self, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
        self._diff = pred - target
        return np.mean(self._diff**2)

    def backward(self) -> np.ndarray:
        return 2 * self._diff / self._diff.size
