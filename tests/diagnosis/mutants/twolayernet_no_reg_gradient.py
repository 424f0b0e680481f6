"""Two-layer net with one bug: the L2 penalty is in the loss but not in dW1, dW2.

backcheck-mutant: TwoLayerNet dW1 l2-gradient-missing
"""
import numpy as np


class TwoLayerNet:
    def __init__(self, W1, b1, W2, b2, reg=0.0):
        self.W1, self.b1, self.W2, self.b2, self.reg = W1, b1, W2, b2, reg

    def forward(self, x, target):
        self.x, self.target = x, target
        self.h = np.maximum(0, x @ self.W1 + self.b1)
        scores = self.h @ self.W2 + self.b2
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        self.probs = e / e.sum(axis=1, keepdims=True)
        n = len(target)
        data_loss = -np.log(self.probs[np.arange(n), target]).mean()
        reg_loss = 0.5 * self.reg * (np.sum(self.W1 ** 2) + np.sum(self.W2 ** 2))
        return data_loss + reg_loss

    def backward(self, dout=1.0):
        n = len(self.target)
        dscores = self.probs.copy()
        dscores[np.arange(n), self.target] -= 1
        dscores *= dout / n
        dW2 = self.h.T @ dscores
        db2 = dscores.sum(axis=0)
        dh = dscores @ self.W2.T * (self.h > 0)
        dW1 = self.x.T @ dh
        db1 = dh.sum(axis=0)
        return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
