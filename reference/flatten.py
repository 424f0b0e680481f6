"""Flatten: the bridge from convolutional feature maps to fully connected layers."""

from __future__ import annotations

import numpy as np


class Flatten:
    """(N, C, H, W) -> (N, C*H*W) in C order; backward restores the input's shape."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": dout.reshape(self.shape)}
