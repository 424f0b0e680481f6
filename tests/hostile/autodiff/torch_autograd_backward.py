"""Linear's backward lets torch's autograd compute every gradient; ReLU is by hand."""
import numpy as np
import torch


class Linear:
    def __init__(self, W, b):
        self.W = torch.tensor(W, requires_grad=True)
        self.b = torch.tensor(b, requires_grad=True)

    def forward(self, x):
        self.x = torch.tensor(x, requires_grad=True)
        self.out = self.x @ self.W + self.b
        return self.out.detach().numpy()

    def backward(self, dout):
        self.out.backward(torch.from_numpy(np.ascontiguousarray(dout)))
        return {"x": self.x.grad.numpy(), "W": self.W.grad.numpy(), "b": self.b.grad.numpy()}


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return {"x": dout * self.mask}
