"""TemporalAffine with one bug, CS231n style: the forward forgets b.

backcheck-mutant: TemporalAffine out temporal-affine-no-bias
"""
import numpy as np


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1)
    return out, (x, w, b)


def temporal_affine_backward(dout, cache):
    x, w, b = cache
    N, T, D = x.shape
    M = w.shape[1]
    dx = dout.reshape(N * T, M).dot(w.T).reshape(N, T, D)
    dw = x.reshape(N * T, D).T.dot(dout.reshape(N * T, M))
    return dx, dw, dout.sum(axis=(0, 1))
