"""Mistakes in the losses (each a mean, checked with upstream 1.0)."""

from __future__ import annotations

import numpy as np

from reference.mistakes.model import Mistake, Probe


def _probs(p: Probe) -> np.ndarray:
    shifted = np.exp(p.x - p.x.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _batch(p: Probe) -> int:
    return p.x.shape[0] if p.x.ndim else 1


def _svm_target_once(p: Probe) -> np.ndarray:
    """The hinge's active margins, with -1 at the target of every row that has one."""
    rows, target = np.arange(p.x.shape[0]), p.inputs["target"]
    active = (p.x - p.x[rows, target][:, None] + 1.0 > 0).astype(np.float64)
    active[rows, target] = 0.0
    active[rows, target] = -(active.sum(axis=1) > 0).astype(np.float64)
    return active


def _svm_loss(p: Probe) -> np.ndarray:
    """The multiclass hinge loss, mean over the batch of the sum over j != y_i."""
    rows, target = np.arange(p.x.shape[0]), p.inputs["target"]
    margins = np.maximum(0.0, p.x - p.x[rows, target][:, None] + 1.0)
    margins[rows, target] = 0.0
    return np.asarray(margins.sum() / _batch(p))


MISTAKES = (
    Mistake(
        "CrossEntropy", "dx", "ce-missing-minus-one",
        "the cross-entropy gradient forgets the -1 at the target class",
        "softmax(x) / N everywhere, the target column included",
        "dx = (softmax(x) - onehot(target)) / N: subtract 1 at each row's target",
        lambda p: p.upstream * _probs(p) / _batch(p),
    ),
    Mistake(
        "CrossEntropy", "dx", "ce-gradient-of-logits",
        "the cross-entropy gradient subtracts the target from the logits, not from the "
        "probabilities",
        "(x - onehot(target)) / N",
        "dx = (softmax(x) - onehot(target)) / N",
        lambda p: p.upstream * (p.x - np.eye(p.x.shape[1])[p.inputs["target"]]) / _batch(p),
    ),
    Mistake(
        "MSELoss", "out", "mse-mean-over-batch",
        "the MSE is divided by the batch size N instead of the number of elements N·D",
        "sum((x - target)**2) / N",
        "out = mean((x - target)**2) over every element",
        lambda p: np.sum((p.x - p.inputs["target"]) ** 2) / _batch(p),
    ),
    Mistake(
        "MSELoss", "dx", "mse-mean-over-batch",
        "the MSE gradient is divided by the batch size N instead of the number of "
        "elements N·D",
        "2 * (x - target) / N",
        "dx = 2 * (x - target) / x.size",
        lambda p: p.upstream * 2 * (p.x - p.inputs["target"]) / _batch(p),
    ),
    Mistake(
        "BCELoss", "dx", "bce-gradient-of-logits",
        "the BCE gradient is the one for logits, applied to probabilities",
        "(x - target) / N: that is the gradient with respect to the logits of a "
        "sigmoid followed by BCE",
        "dx = (x - target) / (x * (1 - x)) / x.size for probabilities x",
        lambda p: p.upstream * (p.x - p.inputs["target"]) / p.x.size,
    ),
    Mistake(
        "SVMLoss", "dx", "svm-target-not-counted",
        "the SVM gradient puts -1 at the target instead of minus the number of positive "
        "margins",
        "-1 / N at each row's target (when any margin is positive), whatever the count",
        "dx[i, y_i] = -(number of j != y_i with a positive margin) / N",
        lambda p: p.upstream * _svm_target_once(p) / _batch(p),
    ),
    Mistake(
        "SVMLoss", "out", "svm-target-margin-counted",
        "the SVM loss counts the target's own margin",
        "the right loss plus 1: max(0, s_y - s_y + 1) = 1 is summed for every row, "
        "because the margin at j = y_i was never set to 0",
        "zero the target's margin (margins[range(N), y] = 0) or skip j == y_i in the sum",
        lambda p: _svm_loss(p) + 1.0,
    ),
)
