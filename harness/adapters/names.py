"""The names libraries give to layers, parameters, gradients and constructor arguments.

Matching is on a normalized form (lower case, no ``_``, a trailing ``layer`` dropped), so
``Dense``, ``dense_layer`` and ``DenseLayer`` are one name. The tables are data: add a
spelling here and every class-based adapter understands it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Any

LAYERS: dict[str, tuple[str, ...]] = {
    "Linear": ("linear", "dense", "fullyconnected", "fc", "affine"),
    "ReLU": ("relu",),
    "LeakyReLU": ("leakyrelu", "lrelu"),
    "Sigmoid": ("sigmoid", "logistic"),
    "Tanh": ("tanh",),
    "Softmax": ("softmax",),
    "MSELoss": ("mseloss", "mse", "meansquarederror", "meansquarederrorloss", "l2loss"),
    "BCELoss": ("bceloss", "bce", "binarycrossentropy", "binarycrossentropyloss"),
    "CrossEntropy": ("crossentropy", "crossentropyloss", "softmaxcrossentropy",
                     "softmaxcrossentropyloss", "categoricalcrossentropy"),
    "LayerNorm": ("layernorm", "layernormalization"),
    "BatchNorm": ("batchnorm", "batchnorm1d", "batchnormalization"),
    "Conv1d": ("conv1d", "convolution1d"),
    "Conv2d": ("conv2d", "conv", "convolution", "convolution2d"),
    "MaxPool2d": ("maxpool2d", "maxpool", "maxpooling", "maxpooling2d"),
    "AvgPool2d": ("avgpool2d", "avgpool", "averagepooling", "averagepooling2d", "avgpooling2d"),
    "Dropout": ("dropout",),
    "Flatten": ("flatten",),
    "GELU": ("gelu",),
    "SiLU": ("silu", "swish"),
    "ELU": ("elu",),
    "Softplus": ("softplus",),
    "Identity": ("identity",),
    "SVMLoss": ("svmloss", "svm", "hingeloss", "multiclasshingeloss", "multiclasssvmloss",
                "multimarginloss"),
    "SpatialBatchNorm": ("spatialbatchnorm", "batchnorm2d", "spatialbatchnormalization"),
    "GroupNorm": ("groupnorm", "spatialgroupnorm", "groupnormalization"),
    "Embedding": ("embedding", "wordembedding"),
    # convfamily: CMU 11-785 HW2 names (MeanPool is the handout's average pooling).
    "ConvTranspose1d": ("convtranspose1d", "transposedconv1d", "deconv1d"),
    "ConvTranspose2d": ("convtranspose2d", "transposedconv2d", "deconv2d", "convtranspose"),
    "MaxPool1d": ("maxpool1d", "maxpooling1d"),
    "AvgPool1d": ("avgpool1d", "meanpool1d", "averagepooling1d", "avgpooling1d"),
    "Upsample1d": ("upsample1d", "upsampling1d"),
    "Upsample2d": ("upsample2d", "upsampling2d"),
    "Downsample1d": ("downsample1d", "downsampling1d"),
    "Downsample2d": ("downsample2d", "downsampling2d"),
}

PARAMS: dict[str, tuple[str, ...]] = {
    "W": ("W", "w", "weight", "weights", "kernel", "kernels", "filters"),
    "b": ("b", "bias", "biases"),
    "gamma": ("gamma", "weight", "scale", "g", "weights"),
    "beta": ("beta", "bias", "shift"),
}

GRAD_FORMS = ("grad_{}", "d{}", "{}_grad", "grad{}", "dL_d{}", "dLd{}", "d_{}", "{}grad",
              "dL{}", "grad_{}s", "d{}s")
"""How a gradient attribute is spelled from a parameter's name: ``grad_W``, ``dW``..."""

GRAD_DICTS = ("grads", "gradients", "grad", "param_grads", "params_grads")

CONSTRUCTOR: dict[str, tuple[str, ...]] = {
    "in": ("in_features", "input_dim", "in_dim", "n_in", "input_size", "fan_in", "n_inputs",
           "num_inputs", "in_size", "nin", "input_features", "in_channels", "input_channels",
           "inputs", "n_input", "num_in", "dim_in"),
    "out": ("out_features", "output_dim", "out_dim", "n_out", "output_size", "fan_out",
            "n_outputs", "num_outputs", "out_size", "nout", "output_features", "units",
            "out_channels", "output_channels", "num_filters", "n_filters", "outputs",
            "n_output", "num_out", "dim_out"),
    "features": ("num_features", "features", "dim", "normalized_shape", "n_features",
                 "feature_dim", "d_model", "size", "hidden_size"),
    "kernel_size": ("kernel_size", "kernel", "k", "filter_size", "ksize", "pool_size",
                    "window", "window_size", "pool"),
    "stride": ("stride", "strides", "step"),
    "padding": ("padding", "pad"),
    "p": ("p", "rate", "drop_prob", "dropout", "drop_rate", "prob", "p_drop"),
    "keep": ("keep_prob", "keep", "p_keep", "keep_rate"),
    "eps": ("eps", "epsilon"),
    "G": ("G", "num_groups", "groups", "n_groups"),
    "negative_slope": ("negative_slope", "alpha", "slope", "leak", "leaky_slope", "a"),
    "lr": ("lr", "learning_rate", "eta", "step_size", "alpha_lr"),
}


def normalize(name: str) -> str:
    """``Dense_Layer`` -> ``dense``: lower case, no underscores, no trailing ``layer``."""
    flat = name.replace("_", "").lower()
    return flat[: -len("layer")] if flat.endswith("layer") and flat != "layer" else flat


def find_class(namespace: Mapping[str, Any], layer: str) -> type | None:
    """The class in ``namespace`` that implements catalog ``layer``, by any known name."""
    wanted = set(LAYERS.get(layer, (normalize(layer),)))
    exact = [layer] if layer in namespace else []
    for name in [*exact, *namespace]:
        value = namespace[name]
        if inspect.isclass(value) and normalize(name) in wanted and _has_api(value):
            return value
    return None


def _has_api(cls: type) -> bool:
    return all(callable(getattr(cls, m, None)) for m in ("forward", "backward"))


def grad_names(attrs: Iterable[str]) -> list[str]:
    """Every spelling of the gradient of a parameter known by any of ``attrs``."""
    return list(dict.fromkeys(form.format(a) for a in attrs for form in GRAD_FORMS))


def role(argument: str) -> str:
    """The constructor role (``in``, ``stride``...) of an argument name, or ``""``."""
    for key, spellings in CONSTRUCTOR.items():
        if argument in spellings:
            return key
    return ""
