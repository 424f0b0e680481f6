"""The native adapter claims only classes that follow backcheck's own API."""

from __future__ import annotations

from harness.adapters.native import NativeAdapter


class Linear:
    def __init__(self, in_features, out_features):
        pass

    def forward(self, x):
        return x

    def backward(self, dout):
        return {"x": dout}


class MSELoss:
    def forward(self, x, target):
        return x

    def backward(self):
        return {"x": 1.0}


class ReLU:
    def forward(self, x):
        return x

    def backward(self, dout):
        return {"x": dout}


def test_other_constructors_and_argument_less_backwards_are_left_to_other_adapters():
    namespace = {"Linear": Linear, "MSELoss": MSELoss, "ReLU": ReLU}
    assert NativeAdapter().detect(namespace).layers == ("ReLU",)
