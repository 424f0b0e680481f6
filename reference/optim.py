"""Plain stochastic gradient descent."""

from __future__ import annotations

import numpy as np


def sgd(
    params: dict[str, np.ndarray], grads: dict[str, np.ndarray], lr: float
) -> dict[str, np.ndarray]:
    """``param - lr * grad`` for every parameter, as new arrays.

    New arrays rather than in-place updates, so arrays the caller still holds (a case's
    parameters) never change under it; ``lr`` is a Python float, so float32 stays float32.
    """
    return {name: value - lr * grads[name] for name, value in params.items()}
