"""SVM loss with one bug, CS231n style: the target's own margin (always 1) is never zeroed,
so every row adds 1 to the loss. The gradient happens to stay right: the extra active
margin is also counted in the -count at the target.

backcheck-mutant: SVMLoss out svm-target-margin-counted
"""
import numpy as np


def svm_loss(x, y):
    N = x.shape[0]
    correct_scores = x[np.arange(N), y]
    margins = np.maximum(0, x - correct_scores[:, np.newaxis] + 1.0)
    loss = np.sum(margins) / N
    positive = (margins > 0).astype(x.dtype)
    num_pos = positive.sum(axis=1)
    dx = positive
    dx[np.arange(N), y] -= num_pos
    dx /= N
    return loss, dx
