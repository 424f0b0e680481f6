"""Alice's layers for the backprop assignment (a sample submission to grade).

Most of it is right; Sigmoid's backward uses the input where the output belongs and
Linear's bias gradient is not summed over the batch. Everything after CrossEntropy
is left as in the template.
"""

import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        dW = self.x.T @ dout
        db = dout[0]
        return {"x": dx, "W": dW, "b": db}


class ReLU:
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        return {"x": dout * (self.x > 0)}


class Sigmoid:
    def forward(self, x):
        self.x = x
        return 1 / (1 + np.exp(-x))

    def backward(self, dout):
        s = self.x
        return {"x": dout * s * (1 - s)}


class Tanh:
    def forward(self, x):
        self.t = np.tanh(x)
        return self.t

    def backward(self, dout):
        return {"x": dout * (1 - self.t**2)}


class Softmax:
    def forward(self, x):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        self.p = e / e.sum(axis=-1, keepdims=True)
        return self.p

    def backward(self, dout):
        dot = np.sum(dout * self.p, axis=-1, keepdims=True)
        return {"x": self.p * (dout - dot)}


class MSELoss:
    def forward(self, x, target):
        self.diff = x - target
        return np.mean(self.diff**2)

    def backward(self, dout=1.0):
        return {"x": dout * 2 * self.diff / self.diff.size}


class CrossEntropy:
    def forward(self, x, target):
        shifted = x - x.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.p = np.exp(log_p)
        self.target = target
        return -log_p[np.arange(len(target)), target].mean()

    def backward(self, dout=1.0):
        grad = self.p.copy()
        grad[np.arange(len(self.target)), self.target] -= 1
        return {"x": dout * grad / len(self.target)}


class LayerNorm:
    def __init__(self, gamma, beta, eps=1e-5):
        raise NotImplementedError

    def forward(self, x):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError
