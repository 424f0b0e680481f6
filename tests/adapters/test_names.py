"""Names: spellings of layers, gradients and constructor arguments."""

from __future__ import annotations

from harness.adapters import names


class Dense_Layer:
    def forward(self, x):
        return x

    def backward(self, d):
        return d


class Linear(Dense_Layer):
    pass


class NoBackward:
    def forward(self, x):
        return x


def test_normalize():
    assert names.normalize("Dense_Layer") == "dense"
    assert names.normalize("BatchNorm1d") == "batchnorm1d"
    assert names.normalize("Layer") == "layer"


def test_find_class_prefers_the_catalog_name_and_needs_the_api():
    assert names.find_class({"Dense_Layer": Dense_Layer, "Linear": Linear}, "Linear") is Linear
    assert names.find_class({"Dense_Layer": Dense_Layer}, "Linear") is Dense_Layer
    assert names.find_class({"Relu": NoBackward}, "ReLU") is None


def test_grad_names_and_roles():
    assert {"grad_W", "dW", "dweights", "dLdW"} <= set(names.grad_names(["W", "weights"]))
    assert names.role("in_features") == "in" and names.role("learning_rate") == "lr"
    assert names.role("banana") == ""


def test_numpy_ml_spellings_are_known():
    """numpy-ml's names: LayerNorm1D, DotProductAttention, kernel_width, vocab_size and
    the scaler / intercept of its normalizations."""
    assert names.layer_of("LayerNorm1D") == "LayerNorm"
    assert names.layer_of("DotProductAttention") == "Attention"
    assert names.role("kernel_width") == "kernel_w"
    assert names.role("vocab_size") == "in"
    assert "scaler" in names.PARAMS["gamma"] and "intercept" in names.PARAMS["beta"]
    assert names.role("filter_shape") == names.role("pool_shape") == "kernel_size"
