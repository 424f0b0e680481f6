"""LSTM with one bug: a port from PyTorch that keeps its gate order i, f, g, o.

backcheck-mutant: LSTM out lstm-gate-order
"""
import numpy as np


def sig(z):
    return 1 / (1 + np.exp(-z))


class LSTM:
    def __init__(self, Wx, Wh, b):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x, h0):
        H = h0.shape[1]
        self.x, self.cache = x, []
        h, c, out = h0, np.zeros_like(h0), []
        for t in range(x.shape[1]):
            a = x[:, t] @ self.Wx + h @ self.Wh + self.b
            i, f = sig(a[:, :H]), sig(a[:, H:2 * H])
            g, o = np.tanh(a[:, 2 * H:3 * H]), sig(a[:, 3 * H:])
            self.cache.append((h, c, i, f, g, o))
            c = f * c + i * g
            h = o * np.tanh(c)
            out.append(h)
        self.cs = [step[1] for step in self.cache[1:]] + [c]
        return np.stack(out, axis=1)

    def backward(self, dout):
        dx = np.zeros_like(self.x)
        dWx, dWh, db = np.zeros_like(self.Wx), np.zeros_like(self.Wh), np.zeros_like(self.b)
        dh, dc = np.zeros_like(dout[:, 0]), np.zeros_like(dout[:, 0])
        for t in reversed(range(self.x.shape[1])):
            prev_h, prev_c, i, f, g, o = self.cache[t]
            tc = np.tanh(self.cs[t])
            dh = dout[:, t] + dh
            dc = dc + dh * o * (1 - tc ** 2)
            da = np.hstack([dc * g * i * (1 - i), dc * prev_c * f * (1 - f),
                            dc * i * (1 - g ** 2), dh * tc * o * (1 - o)])
            dx[:, t] = da @ self.Wx.T
            dWx += self.x[:, t].T @ da
            dWh += prev_h.T @ da
            db += da.sum(0)
            dh, dc = da @ self.Wh.T, dc * f
        return {"x": dx, "h0": dh, "Wx": dWx, "Wh": dWh, "b": db}
