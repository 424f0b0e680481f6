"""RNN with one bug: backprop through time never adds the dh that comes back from t + 1.

backcheck-mutant: RNN dx bptt-no-carry
"""
import numpy as np


class RNN:
    def __init__(self, Wx, Wh, b):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x, h0):
        self.x = x
        self.hs = [h0]
        for t in range(x.shape[1]):
            self.hs.append(np.tanh(x[:, t] @ self.Wx + self.hs[-1] @ self.Wh + self.b))
        return np.stack(self.hs[1:], axis=1)

    def backward(self, dout):
        dx = np.zeros_like(self.x)
        dWx, dWh, db = (np.zeros_like(self.Wx), np.zeros_like(self.Wh),
                        np.zeros_like(self.b))
        dh_prev = np.zeros_like(self.hs[0])
        for t in reversed(range(self.x.shape[1])):
            da = dout[:, t] * (1 - self.hs[t + 1] ** 2)
            dx[:, t] = da @ self.Wx.T
            dWx += self.x[:, t].T @ da
            dWh += self.hs[t].T @ da
            db += da.sum(axis=0)
            dh_prev = da @ self.Wh.T
        return {"x": dx, "h0": dh_prev, "Wx": dWx, "Wh": dWh, "b": db}
