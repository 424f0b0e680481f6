"""Mistakes in element-wise activations and softmax."""

from __future__ import annotations

import math

import numpy as np

from reference.mistakes.model import Mistake


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _gelu_tanh_derivative(x: np.ndarray) -> np.ndarray:
    """The derivative of GELU's tanh approximation, 0.5 x (1 + tanh(c (x + 0.044715 x**3)))."""
    c = math.sqrt(2.0 / math.pi)
    t = np.tanh(c * (x + 0.044715 * x**3))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t**2) * c * (1 + 3 * 0.044715 * x**2)


def _gelu_sigmoid(x: np.ndarray) -> np.ndarray:
    """GELU's sigmoid approximation ("quick GELU"), x * sigmoid(1.702 x)."""
    return x * _sigmoid(1.702 * x)


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
    Mistake(
        "GELU", "dx", "gelu-tanh-derivative",
        "the GELU backward differentiates the tanh approximation, not the exact GELU",
        "dout times the derivative of 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x**3))), "
        "while the forward is the exact x * Phi(x)",
        "dx = dout * (Phi(x) + x * phi(x)), with Phi the Gaussian CDF and phi its density; "
        "or use the approximation in both directions",
        lambda p: p.upstream * _gelu_tanh_derivative(p.x),
    ),
    Mistake(
        "SiLU", "dx", "silu-product-rule-half",
        "the SiLU backward keeps only half of the product rule",
        "dout * sigmoid(x): the x * sigmoid'(x) term is missing",
        "dx = dout * s * (1 + x * (1 - s)) with s = sigmoid(x)",
        lambda p: p.upstream * _sigmoid(p.x),
    ),
    Mistake(
        "ELU", "dx", "elu-negative-slope-constant",
        "the ELU derivative for x < 0 is written alpha instead of alpha * exp(x)",
        "dout * alpha where x < 0, a constant slope like LeakyReLU's",
        "dx = dout * where(x > 0, 1, alpha * exp(x)) (alpha * exp(x) = out + alpha)",
        lambda p: p.upstream * np.where(p.x > 0, 1.0, p.config.get("alpha", 1.0)),
    ),
    Mistake(
        "Softplus", "dx", "softplus-derivative-exp",
        "the Softplus derivative is written exp(x) instead of sigmoid(x)",
        "dout * exp(x): the derivative of exp, not of log(1 + exp(x))",
        "dx = dout * sigmoid(x) = dout / (1 + exp(-x))",
        lambda p: p.upstream * np.exp(p.x),
    ),
    Mistake(
        "GELU", "out", "gelu-sigmoid-approximation",
        "the GELU forward is the sigmoid approximation x * sigmoid(1.702 x)",
        "x * sigmoid(1.702 x) (\"quick GELU\"), which is off from x * Phi(x) by up to "
        "about 0.02",
        "out = x * Phi(x) = 0.5 x (1 + erf(x / sqrt(2))), the exact GELU",
        lambda p: _gelu_sigmoid(p.x),
    ),
    Mistake(
        "SiLU", "out", "silu-sign",
        "the SiLU forward uses exp(x) instead of exp(-x) in its sigmoid",
        "x / (1 + exp(x)), which is x * sigmoid(-x)",
        "out = x * sigmoid(x) = x / (1 + exp(-x))",
        lambda p: p.x * _sigmoid(-p.x),
    ),
    Mistake(
        "ELU", "out", "elu-missing-minus-one",
        "the ELU forward for x < 0 forgets the -1",
        "alpha * exp(x) where x <= 0, which jumps to alpha at 0 instead of tending to 0",
        "out = where(x > 0, x, alpha * (exp(x) - 1))",
        lambda p: np.where(p.x > 0, p.x, p.config.get("alpha", 1.0) * np.exp(p.x)),
    ),
    Mistake(
        "Softplus", "out", "softplus-sign",
        "the Softplus forward uses exp(-x) instead of exp(x)",
        "log(1 + exp(-x)), which is softplus(-x) = softplus(x) - x",
        "out = log(1 + exp(x)) (np.logaddexp(0, x) is the stable form)",
        lambda p: np.log1p(np.exp(-p.x)),
    ),
)
