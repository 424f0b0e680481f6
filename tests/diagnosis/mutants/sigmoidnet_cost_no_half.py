"""Book-style sigmoid network with one bug: the quadratic cost is written without its 1/2,
while the backward's delta (a - y) is the derivative of the halved one.

backcheck-mutant: SigmoidNet out scaled
"""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


class SigmoidNet:
    def __init__(self, W1, b1, W2, b2):
        self.weights = [W1, W2]
        self.biases = [b1, b2]

    def forward(self, x, target):
        self.y = target
        self.zs, self.activations = [], [x]
        a = x
        for w, b in zip(self.weights, self.biases):
            z = w @ a + b
            self.zs.append(z)
            a = sigmoid(z)
            self.activations.append(a)
        return np.sum((a - target) ** 2)

    def backward(self, dout=1.0):
        delta = dout * (self.activations[-1] - self.y) * sigmoid_prime(self.zs[-1])
        nabla_w2, nabla_b2 = delta @ self.activations[-2].T, delta
        delta = (self.weights[1].T @ delta) * sigmoid_prime(self.zs[-2])
        nabla_w1 = delta @ self.activations[0].T
        return {"W1": nabla_w1, "b1": delta, "W2": nabla_w2, "b2": nabla_b2}
