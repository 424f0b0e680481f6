"""Small networks composed of the reference layers, each ending in a scalar loss.

A network is a chain of layers and a loss; its parameters are those of its Linear
layers, renamed ``W1, b1, W2, b2`` (or ``W, b`` for a single one). ``forward(x, target)``
returns the loss and ``backward()`` the gradient of every parameter, which
``sgd_step`` then applies.
"""

from __future__ import annotations

import numpy as np

from reference.activations import ReLU, Sigmoid
from reference.linear import Linear
from reference.losses import BCELoss, MSELoss
from reference.optim import sgd


class _Network:
    """``loss(layers(x), target)``; ``names[i]`` maps layer i's parameters to network names."""

    def __init__(self, layers: list, names: list[dict[str, str]], loss) -> None:
        self.layers, self.names, self.loss = layers, names, loss
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return self.loss.forward(x, target)

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        """Gradients of the loss (times ``dout``) for every parameter, kept for ``sgd_step``."""
        grad = self.loss.backward(dout)["x"]
        self.grads = {}
        for layer, names in zip(self.layers[::-1], self.names[::-1], strict=True):
            grads = layer.backward(grad)
            grad = grads["x"]
            self.grads.update({name: grads[local] for local, name in names.items()})
        return dict(self.grads)

    def params(self) -> dict[str, np.ndarray]:
        """The current parameters by network name."""
        return {
            name: getattr(layer, local)
            for layer, names in zip(self.layers, self.names, strict=True)
            for local, name in names.items()
        }

    def sgd_step(self, lr: float) -> None:
        """``param -= lr * grad`` with the gradients of the last ``backward``."""
        updated = sgd(self.params(), self.grads, lr)
        for layer, names in zip(self.layers, self.names, strict=True):
            for local, name in names.items():
                setattr(layer, local, updated[name])


_FIRST = {"W": "W1", "b": "b1"}
_SECOND = {"W": "W2", "b": "b2"}


class LinearRegression(_Network):
    """One Linear 1 -> 1 under a mean squared error: fits ``y = w x + c``."""

    def __init__(self, W: np.ndarray, b: np.ndarray):
        super().__init__([Linear(W, b)], [{"W": "W", "b": "b"}], MSELoss())


class RegressionMLP(_Network):
    """1 -> 2 -> 1: Linear, ReLU, Linear under a mean squared error."""

    def __init__(self, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray):
        layers = [Linear(W1, b1), ReLU(), Linear(W2, b2)]
        super().__init__(layers, [_FIRST, {}, _SECOND], MSELoss())


class XORNet(_Network):
    """2 -> 4 -> 1: Linear, ReLU, Linear, Sigmoid under a mean binary cross-entropy."""

    def __init__(self, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray):
        layers = [Linear(W1, b1), ReLU(), Linear(W2, b2), Sigmoid()]
        super().__init__(layers, [_FIRST, {}, _SECOND, {}], BCELoss())
