"""RNNCell with one bug: the forward leaves out the tanh.

backcheck-mutant: RNNCell out rnn-no-tanh
"""
import numpy as np


class RNNCell:
    def __init__(self, Wx, Wh, b):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x, prev_h):
        self.x, self.prev_h = x, prev_h
        self.h = x @ self.Wx + prev_h @ self.Wh + self.b
        return self.h

    def backward(self, dout):
        da = dout * (1 - self.h ** 2)
        return {"x": da @ self.Wx.T, "prev_h": da @ self.Wh.T, "Wx": self.x.T @ da,
                "Wh": self.prev_h.T @ da, "b": da.sum(axis=0)}
