"""TemporalSoftmaxLoss with one bug, CS231n style: the mask is never applied.

backcheck-mutant: TemporalSoftmaxLoss out temporal-loss-unmasked also temporal-dx-unmasked
"""
import numpy as np


def temporal_softmax_loss(x, y, mask, verbose=False):
    N, T, V = x.shape
    flat, labels = x.reshape(N * T, V), y.reshape(N * T)
    p = np.exp(flat - flat.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.sum(np.log(p[np.arange(N * T), labels])) / N
    dx = p.copy()
    dx[np.arange(N * T), labels] -= 1
    return loss, (dx / N).reshape(N, T, V)
