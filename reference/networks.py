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
from reference.losses import BCELoss, CrossEntropy, MSELoss
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


class TwoLayerNet(_Network):
    """CS231n's two-layer classifier: affine, ReLU, affine, softmax cross-entropy, plus L2.

    ``x`` (N, D), integer ``target`` (N,); ``W1`` (D, H), ``b1`` (H,), ``W2`` (H, C),
    ``b2`` (C,). The loss is the batch mean of the cross-entropy plus
    ``0.5 * reg * (sum(W1**2) + sum(W2**2))``, as in the assignment's ``fc_net.py``.
    """

    def __init__(self, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray,
                 reg: float = 0.0):
        layers = [Linear(W1, b1), ReLU(), Linear(W2, b2)]
        super().__init__(layers, [_FIRST, {}, _SECOND], CrossEntropy())
        self.reg = reg

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        weights = (self.layers[0].W, self.layers[2].W)
        penalty = 0.5 * self.reg * sum(np.sum(W * W) for W in weights)
        return super().forward(x, target) + penalty

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        super().backward(dout)
        for name, layer in (("W1", self.layers[0]), ("W2", self.layers[2])):
            self.grads[name] = self.grads[name] + dout * self.reg * layer.W
        return dict(self.grads)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


class SigmoidNet:
    """The classic book's network: sigmoid layers on one column-vector sample.

    ``x`` (D, 1), ``target`` (M, 1); ``W1`` (H, D), ``b1`` (H, 1), ``W2`` (M, H),
    ``b2`` (M, 1) (weights are (out, in), biases columns). ``a = σ(W2 σ(W1 x + b1) + b2)``
    under the quadratic cost ``0.5 * sum((a - target)**2)`` (not a mean): what
    ``backprop(x, y)`` differentiates for one sample.
    """

    def __init__(self, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray):
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        self.x, self.target = x, target
        self.a1 = _sigmoid(self.W1 @ x + self.b1)
        self.a2 = _sigmoid(self.W2 @ self.a1 + self.b2)
        return 0.5 * np.sum((self.a2 - target) ** 2)

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        """Each layer's error ``delta = dC/dz``; ``dW = delta @ a_prev.T``, ``db = delta``."""
        delta2 = dout * (self.a2 - self.target) * self.a2 * (1.0 - self.a2)
        delta1 = (self.W2.T @ delta2) * self.a1 * (1.0 - self.a1)
        self.grads = {"W1": delta1 @ self.x.T, "b1": delta1,
                      "W2": delta2 @ self.a1.T, "b2": delta2}
        return dict(self.grads)

    def params(self) -> dict[str, np.ndarray]:
        """The current parameters by name."""
        return {"W1": self.W1, "b1": self.b1, "W2": self.W2, "b2": self.b2}

    def sgd_step(self, lr: float) -> None:
        """``param -= lr * grad`` with the gradients of the last ``backward``."""
        for name, value in sgd(self.params(), self.grads, lr).items():
            setattr(self, name, value)
