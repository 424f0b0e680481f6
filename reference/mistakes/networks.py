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


def _full_penalty(p: Probe) -> np.ndarray:
    """TwoLayerNet's loss with ``reg * sum(W**2)`` in place of half of it."""
    net = TwoLayerNet(**p.params, reg=p.config.get("reg", 0.0))
    loss = net.forward(p.x, p.inputs["target"])
    half = 0.5 * net.reg * sum(np.sum(p.params[n] ** 2) for n in ("W1", "W2"))
    return np.asarray(loss + half)


class _PrimeIsSigmoid(SigmoidNet):
    """SigmoidNet whose ``sigmoid_prime(z)`` returns ``sigmoid(z)``."""

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        delta2 = dout * (self.a2 - self.target) * self.a2
        delta1 = (self.W2.T @ delta2) * self.a1
        return {"W1": delta1 @ self.x.T, "b1": delta1, "W2": delta2 @ self.a1.T, "b2": delta2}


class _DeltaWithoutSlope(SigmoidNet):
    """SigmoidNet whose output error is ``a - y``, without the sigmoid's slope."""

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        delta2 = dout * (self.a2 - self.target)
        delta1 = (self.W2.T @ delta2) * self.a1 * (1.0 - self.a1)
        return {"W1": delta1 @ self.x.T, "b1": delta1, "W2": delta2 @ self.a1.T, "b2": delta2}


BUGGY_NETS = {"sigmoid-prime-is-sigmoid": _PrimeIsSigmoid,
              "sigmoid-output-delta-no-slope": _DeltaWithoutSlope}


def _buggy_net(p: Probe, kind: str, name: str) -> np.ndarray:
    net = BUGGY_NETS[kind](**p.params)
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
        lambda p: _buggy_net(p, "sigmoid-prime-is-sigmoid", name),
    )


def _delta_no_slope(name: str) -> Mistake:
    return Mistake(
        "SigmoidNet", f"d{name}", "sigmoid-output-delta-no-slope",
        "the SigmoidNet's output error leaves out sigmoid_prime(z)",
        "delta = a - y at the output: the cross-entropy cost's delta, while the cost is "
        "quadratic",
        "delta = (a - y) * sigmoid_prime(z) for 0.5 * |a - y|² (a - y alone belongs to the "
        "cross-entropy cost)",
        lambda p: _buggy_net(p, "sigmoid-output-delta-no-slope", name),
    )


FULL_PENALTY = Mistake(
    "TwoLayerNet", "out", "l2-loss-missing-half",
    "the TwoLayerNet loss adds reg * sum(W**2), twice the penalty its gradient is for",
    "the data loss plus reg * (sum(W1**2) + sum(W2**2)), while dW gets reg * W",
    "loss += 0.5 * reg * (sum(W1**2) + sum(W2**2)), whose gradient is reg * W (or keep "
    "reg * sum(W**2) and add 2 * reg * W to dW)",
    _full_penalty,
)


MISTAKES = (FULL_PENALTY, *(_l2(name) for name in ("W1", "W2")),
            *(_sigmoid_prime(name) for name in ("W1", "b1", "W2", "b2")),
            *(_delta_no_slope(name) for name in ("W1", "b1", "W2", "b2")))
