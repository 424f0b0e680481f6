"""Inverted dropout with an explicit mask, so that a case is reproducible."""

from __future__ import annotations

import numpy as np


class Dropout:
    """``x * mask / (1 - p)``: kept units are scaled up so the expected output is ``x``.

    ``mask`` (0 or 1, shaped like ``x``) is an input rather than drawn here, so the
    same case gives the same output everywhere; it is a constant, not differentiated.
    """

    def __init__(self, p: float = 0.5):
        self.p = p

    def forward(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        self.scale = mask / (1.0 - self.p)
        return x * self.scale

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": dout * self.scale}
