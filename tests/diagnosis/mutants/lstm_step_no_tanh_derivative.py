"""LSTMCell with one bug: dnext_h reaches the cell state without tanh'(next_c).

backcheck-mutant: LSTMCell dprev_c lstm-cell-tanh-derivative-missing
"""
import numpy as np


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


class LSTMCell:
    def __init__(self, Wx, Wh, b):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x, prev_h, prev_c):
        H = prev_h.shape[1]
        a = x @ self.Wx + prev_h @ self.Wh + self.b
        self.i, self.f, self.o = _sig(a[:, :H]), _sig(a[:, H:2 * H]), _sig(a[:, 2 * H:3 * H])
        self.g = np.tanh(a[:, 3 * H:])
        self.x, self.prev_h, self.prev_c = x, prev_h, prev_c
        self.c = self.f * prev_c + self.i * self.g
        return np.stack([self.o * np.tanh(self.c), self.c])

    def backward(self, dout):
        dh, dc = dout
        i, f, o, g = self.i, self.f, self.o, self.g
        dc = dc + dh * o
        da = np.concatenate([dc * g * i * (1 - i), dc * self.prev_c * f * (1 - f),
                             dh * np.tanh(self.c) * o * (1 - o), dc * i * (1 - g * g)], axis=1)
        return {"x": da @ self.Wx.T, "prev_h": da @ self.Wh.T, "prev_c": dc * f,
                "Wx": self.x.T @ da, "Wh": self.prev_h.T @ da, "b": da.sum(axis=0)}
