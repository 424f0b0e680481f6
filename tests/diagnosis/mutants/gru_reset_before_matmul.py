"""GRUCell with one bug, CS231n-like functions: the reset gate scales h before Wh_n.

backcheck-mutant: GRUCell out gru-reset-before-matmul
"""
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    H = prev_h.shape[1]
    gx = x.dot(Wx) + bx
    gh = prev_h.dot(Wh) + bh
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gx[:, 2 * H:] + (r * prev_h).dot(Wh[:, 2 * H:]) + bh[2 * H:])
    return (1 - z) * n + z * prev_h, (x, prev_h, Wx, Wh, r, z, n)


def gru_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, r, z, n = cache
    H = prev_h.shape[1]
    dn = dnext_h * (1 - z) * (1 - n ** 2)
    drh = dn.dot(Wh[:, 2 * H:].T)
    dr = drh * prev_h * r * (1 - r)
    dz = dnext_h * (prev_h - n) * z * (1 - z)
    dgx = np.hstack([dr, dz, dn])
    dgh = np.hstack([dr, dz, np.zeros_like(dn)])
    dWh = prev_h.T.dot(dgh)
    dWh[:, 2 * H:] = (r * prev_h).T.dot(dn)
    dprev_h = dgh.dot(Wh.T) + drh * r + dnext_h * z
    return (dgx.dot(Wx.T), dprev_h, x.T.dot(dgx), dWh, dgx.sum(0),
            np.hstack([dr.sum(0), dz.sum(0), dn.sum(0)]))
