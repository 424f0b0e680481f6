"""GRUCell with one bug, as a from-scratch library writes it: z weighs n, not h.

backcheck-mutant: GRUCell out gru-update-gate-swapped
"""
import numpy as np


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


class GRU:
    def __init__(self, Wx, Wh, bx, bh):
        self.Wx, self.Wh, self.bx, self.bh = Wx, Wh, bx, bh

    def forward(self, x, h):
        H = h.shape[1]
        self.x, self.h = x, h
        gx, self.gh = x @ self.Wx + self.bx, h @ self.Wh + self.bh
        self.r = sigmoid(gx[:, :H] + self.gh[:, :H])
        self.z = sigmoid(gx[:, H:2 * H] + self.gh[:, H:2 * H])
        self.n = np.tanh(gx[:, 2 * H:] + self.r * self.gh[:, 2 * H:])
        return self.z * self.n + (1 - self.z) * h

    def backward(self, dout):
        H = self.h.shape[1]
        r, z, n = self.r, self.z, self.n
        dn = dout * z * (1 - n ** 2)
        dr = dn * self.gh[:, 2 * H:] * r * (1 - r)
        dz = dout * (n - self.h) * z * (1 - z)
        dgx, dgh = np.hstack([dr, dz, dn]), np.hstack([dr, dz, dn * r])
        return {"dx": dgx @ self.Wx.T, "dprev_h": dgh @ self.Wh.T + dout * (1 - z),
                "dWx": self.x.T @ dgx, "dWh": self.h.T @ dgh, "dbx": dgx.sum(0),
                "dbh": dgh.sum(0)}
