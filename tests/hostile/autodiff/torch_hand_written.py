"""Seed style: torch tensors used as plain arrays, every gradient written by hand."""
import torch


class Linear:
    def __init__(self, W, b):
        self.W, self.b = torch.from_numpy(W), torch.from_numpy(b)

    def forward(self, x):
        self.x = torch.from_numpy(x)
        return (self.x @ self.W + self.b).numpy()

    def backward(self, dout):
        dout = torch.from_numpy(dout)
        grad_W = self.x.T @ dout
        grad_b = dout.sum(dim=0)
        grad_x = dout @ self.W.T
        return {"x": grad_x.numpy(), "W": grad_W.numpy(), "b": grad_b.numpy()}


class ReLU:
    def forward(self, x):
        self.mask = torch.from_numpy(x) > 0
        return (torch.from_numpy(x) * self.mask).numpy()

    def backward(self, dout):
        return {"x": (torch.from_numpy(dout) * self.mask).numpy()}
