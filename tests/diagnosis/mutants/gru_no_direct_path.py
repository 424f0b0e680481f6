"""GRUCell with one bug: dprev_h forgets the direct path through z * h.

backcheck-mutant: GRUCell dprev_h gru-no-direct-path
"""
import numpy as np


def _s(a):
    return 1.0 / (1.0 + np.exp(-a))


class GRUCell:
    def __init__(self, Wx, Wh, bx, bh):
        self.Wx, self.Wh, self.bx, self.bh = Wx, Wh, bx, bh

    def forward(self, x, prev_h):
        xr, xz, xn = np.split(x @ self.Wx + self.bx, 3, axis=1)
        hr, hz, self.hn = np.split(prev_h @ self.Wh + self.bh, 3, axis=1)
        self.r, self.z = _s(xr + hr), _s(xz + hz)
        self.n = np.tanh(xn + self.r * self.hn)
        self.x, self.prev_h = x, prev_h
        return (1 - self.z) * self.n + self.z * prev_h

    def backward(self, dout):
        r, z, n = self.r, self.z, self.n
        dn = dout * (1 - z) * (1 - n ** 2)
        dr = dn * self.hn * r * (1 - r)
        dz = dout * (self.prev_h - n) * z * (1 - z)
        dgx = np.concatenate([dr, dz, dn], axis=1)
        dgh = np.concatenate([dr, dz, dn * r], axis=1)
        return {"x": dgx @ self.Wx.T, "prev_h": dgh @ self.Wh.T, "Wx": self.x.T @ dgx,
                "Wh": self.prev_h.T @ dgh, "bx": dgx.sum(0), "bh": dgh.sum(0)}
