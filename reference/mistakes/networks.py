"""Mistakes in the small whole networks (each checked as one loss of its parameters)."""

from __future__ import annotations

import numpy as np

from reference.mistakes.model import Mistake, Probe
from reference.networks import SigmoidNet, TwoLayerNet


def _unregularized(p: Probe, name: str) -> np.ndarray:
    """TwoLayerNet's gradient with the penalty's ``reg * W`` left out."""
    net = TwoLayerNet(**p.params, reg=0.0)
    net.forward(p.x, p.inputs["target"])
    return net.backward(p.upstream)[name]


class _PrimeIsSigmoid(SigmoidNet):
    """SigmoidNet whose ``sigmoid_prime(z)`` returns ``sigmoid(z)``."""

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        delta2 = dout * (self.a2 - self.target) * self.a2
        delta1 = (self.W2.T @ delta2) * self.a1
        return {"W1": delta1 @ self.x.T, "b1": delta1, "W2": delta2 @ self.a1.T, "b2": delta2}


def _prime_is_sigmoid(p: Probe, name: str) -> np.ndarray:
    net = _PrimeIsSigmoid(**p.params)
    net.forward(p.x, p.inputs["target"])
    return net.backward(p.upstream)[name]


def _l2(name: str) -> Mistake:
    return Mistake(
        "TwoLayerNet", f"d{name}", "l2-gradient-missing",
        f"the TwoLayerNet d{name} leaves out the L2 penalty's gradient",
        f"the data loss's gradient only: reg * {name} is in the loss but not in d{name}",
        f"d{name} += reg * {name} (the derivative of 0.5 * reg * sum({name}**2))",
        lambda p: _unregularized(p, name),
    )


def _sigmoid_prime(name: str) -> Mistake:
    return Mistake(
        "SigmoidNet", f"d{name}", "sigmoid-prime-is-sigmoid",
        "the SigmoidNet's sigmoid_prime(z) returns sigmoid(z)",
        "each delta multiplied by sigmoid(z) instead of sigmoid(z) * (1 - sigmoid(z))",
        "sigmoid_prime(z) = sigmoid(z) * (1 - sigmoid(z))",
        lambda p: _prime_is_sigmoid(p, name),
    )


MISTAKES = (*(_l2(name) for name in ("W1", "W2")),
            *(_sigmoid_prime(name) for name in ("W1", "b1", "W2", "b2")))
