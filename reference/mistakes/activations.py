"""Mistakes in element-wise activations and softmax."""

from __future__ import annotations

import numpy as np

from reference.mistakes.model import Mistake


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    shifted = np.exp(x - x.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


MISTAKES = (
    Mistake(
        "Softmax", "dx", "softmax-no-cross-term",
        "the Softmax backward drops the Jacobian's cross terms",
        "dout * s * (1 - s): only the diagonal of the Jacobian, as if each output "
        "depended on its own input alone",
        "dx = s * (dout - sum(dout * s, axis=-1, keepdims=True)): every output depends "
        "on every input of its row",
        lambda p: p.upstream * _softmax(p.x, -1) * (1 - _softmax(p.x, -1)),
    ),
    Mistake(
        "Softmax", "out", "softmax-wrong-axis",
        "the Softmax output is normalized over the wrong axis",
        "each column sums to 1 (softmax over axis 0, the batch)",
        "normalize each row: max, exp and sum over the last axis (axis=-1, keepdims=True)",
        lambda p: _softmax(p.x, 0),
    ),
    Mistake(
        "Tanh", "dx", "tanh-derivative-linear",
        "the Tanh derivative is written 1 - t instead of 1 - t**2",
        "dout * (1 - t) with t = tanh(x)",
        "dx = dout * (1 - t**2)",
        lambda p: p.upstream * (1 - np.tanh(p.x)),
    ),
    Mistake(
        "Sigmoid", "dx", "sigmoid-derivative-incomplete",
        "the Sigmoid derivative is missing its (1 - s) factor",
        "dout * s with s = sigmoid(x)",
        "dx = dout * s * (1 - s)",
        lambda p: p.upstream * _sigmoid(p.x),
    ),
    Mistake(
        "Sigmoid", "out", "sigmoid-sign",
        "the Sigmoid output uses exp(x) instead of exp(-x)",
        "1 / (1 + exp(x)), which is 1 - sigmoid(x)",
        "out = 1 / (1 + exp(-x))",
        lambda p: 1 - _sigmoid(p.x),
    ),
    Mistake(
        "ReLU", "dx", "relu-derivative-is-output",
        "the ReLU backward multiplies by the output instead of by the mask",
        "dout * max(x, 0): the output's values, not its 0/1 derivative",
        "dx = dout * (x > 0)",
        lambda p: p.upstream * np.maximum(p.x, 0),
    ),
    Mistake(
        "ReLU", "dx", "relu-mask-inverted",
        "the ReLU mask is inverted",
        "dout where x < 0 and 0 where x > 0",
        "dx = dout * (x > 0): the gradient flows where the input was positive",
        lambda p: p.upstream * (p.x < 0),
    ),
    Mistake(
        "LeakyReLU", "dx", "leaky-slope-missing",
        "the LeakyReLU backward drops the negative slope",
        "0 where x < 0 (ReLU's derivative)",
        "dx = dout * where(x > 0, 1, negative_slope)",
        lambda p: p.upstream * (p.x > 0),
    ),
)
