"""The names libraries give to layers, parameters, gradients and constructor arguments.

Matching is on a normalized form (lower case, no ``_``, a trailing ``layer`` dropped), so
``Dense``, ``dense_layer`` and ``DenseLayer`` are one name. The tables are data: add a
spelling here and every class-based adapter understands it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Any

from harness.adapters import signatures

LAYERS: dict[str, tuple[str, ...]] = {
    "Linear": ("linear", "dense", "fullyconnected", "fc", "affine"),
    "ReLU": ("relu",),
    "LeakyReLU": ("leakyrelu", "lrelu"),
    "Sigmoid": ("sigmoid", "logistic"),
    "Tanh": ("tanh",),
    "Softmax": ("softmax",),
    "MSELoss": ("mseloss", "mse", "meansquarederror", "meansquarederrorloss", "l2loss",
                "squareloss"),
    "BCELoss": ("bceloss", "bce", "binarycrossentropy", "binarycrossentropyloss"),
    "CrossEntropy": ("crossentropy", "crossentropyloss", "softmaxcrossentropy",
                     "softmaxcrossentropyloss", "softmaxlosscategoricalcrossentropy",
                     "softmaxcategoricalcrossentropy", "categoricalcrossentropy"),
    "LayerNorm": ("layernorm", "layernormalization", "layernorm1d"),
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
    "Identity": ("identity", "activationlinear", "linearactivation"),
    "SVMLoss": ("svmloss", "svm", "hingeloss", "multiclasshingeloss", "multiclasssvmloss",
                "multimarginloss"),
    "SpatialBatchNorm": ("spatialbatchnorm", "batchnorm2d", "spatialbatchnormalization"),
    "GroupNorm": ("groupnorm", "spatialgroupnorm", "groupnormalization"),
    "Embedding": ("embedding", "wordembedding"),
    "Attention": ("attention", "dotproductattention", "scaleddotproductattention"),
    # sequences: recurrent steps and layers, per-time-step layers
    "RNNCell": ("rnncell", "vanillarnncell", "rnnstep"),
    "RNN": ("rnn", "vanillarnn"),
    "LSTMCell": ("lstmcell", "lstmstep"),
    "LSTM": ("lstm",),
    "GRUCell": ("grucell", "grustep", "gru"),
    "TemporalAffine": ("temporalaffine", "temporallinear", "timedistributeddense",
                       "timedistributedlinear"),
    "TemporalSoftmaxLoss": ("temporalsoftmaxloss", "temporalcrossentropy",
                            "temporalcrossentropyloss", "sequencecrossentropy"),
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
    "b": ("b", "bias", "biases", "w0"),
    "gamma": ("gamma", "weight", "scale", "g", "weights", "BW", "scaler"),
    "beta": ("beta", "bias", "shift", "Bb", "intercept"),
    # sequences: input-to-hidden and hidden-to-hidden weights, GRU's two biases
    "Wx": ("Wx", "W_x", "Wxh", "W_xh", "wx"),
    "Wh": ("Wh", "W_h", "Whh", "W_hh", "wh"),
    "bx": ("bx", "b_x", "b_ih", "bias_ih"),
    "bh": ("bh", "b_h", "b_hh", "bias_hh"),
}

GRAD_FORMS = ("grad_{}", "d{}", "{}_grad", "grad{}", "dL_d{}", "dLd{}", "d_{}", "{}grad",
              "dL{}", "grad_{}s", "d{}s", "_d{}", "_grad_{}")
"""How a gradient attribute is spelled from a parameter's name: ``grad_W``, ``dW``..."""

GRAD_DICTS = ("grads", "gradients", "grad", "param_grads", "params_grads")

PARAM_DICTS = ("params", "parameters", "param", "weights_dict")
"""Dict attributes some libraries keep their parameters in (``self.params["W"]``)."""

METHODS: dict[str, tuple[str, ...]] = {
    "forward": ("forward", "forward_pass", "fprop", "forward_propagation", "feed_forward",
                "feedforward", "__call__"),
    "backward": ("backward", "backward_pass", "bprop", "backprop", "backward_propagation",
                 "backpropagation"),
}
"""What libraries call a layer's forward and backward, in order of preference."""

OUTPUTS = ("output", "out", "outputs", "y_hat", "A")
"""Where a forward that returns ``None`` leaves its result (``self.output``)."""

INPUTS = ("x", "X", "input", "inputs", "bottom", "A", "Z", "z", "a")
"""Spellings of a layer's input as a method's argument (``backward(x, top_diff)``)."""
INPUT_GRADS = ("dinputs", "dinput", "dx", "grad_input", "dX", "grad_x", "dL_dx", "dLdx",
               "input_grad", "grad_inputs", "d_input", "dLdA")
"""Where a backward that returns ``None`` leaves the input gradient (``self.dinputs``)."""

TRAINING = ("training", "train", "is_training", "training_mode", "is_train")
"""A forward argument that says training mode (``forward(inputs, training)``): ``True``."""

OPTIMIZERS = ("optimizer", "optimiser", "optim", "opt", "solver", "updater")
"""A backward argument that receives an optimizer object to apply the update with."""

PREFIXES = ("layer", "activation", "loss")
"""Dropped from the front of a class name when the whole name is no layer's
(``Layer_Dense``, ``Activation_ReLU``, ``Loss_MeanSquaredError``)."""

CONSTRUCTOR: dict[str, tuple[str, ...]] = {
    "in": ("in_features", "in_feature", "in_ch", "c_in", "in_channel", "input_dim", "in_dim",
           "n_in",
           "input_size", "fan_in", "n_inputs", "num_inputs", "in_size", "nin",
           "input_features", "in_channels", "input_channels",
           "inputs", "n_input", "num_in", "dim_in", "vocab_size"),
    "out": ("out_features", "out_feature", "out_ch", "c_out", "out_channel", "n_neurons", "neurons",
            "num_neurons", "n_units", "num_units", "output_dim", "out_dim", "n_out",
            "output_size", "fan_out",
            "n_outputs", "num_outputs", "out_size", "nout", "output_features", "units",
            "out_channels", "output_channels", "num_filters", "n_filters", "outputs",
            "n_output", "num_out", "dim_out", "n_filter", "num_filter", "layer_depth"),
    "features": ("num_features", "features", "dim", "normalized_shape", "n_features",
                 "feature_dim", "d_model", "size", "hidden_size",
                 "hidden_dim"),
    "kernel_size": ("kernel_size", "kernel", "k", "filter_size", "ksize", "pool_size",
                    "window", "window_size", "pool", "size", "kernel_shape", "pool_shape",
                    "filter_shape"),
    "kernel_h": ("h_filter", "kernel_h", "filter_h", "kh", "filter_height", "kernel_height",
                 "field_height"),
    "kernel_w": ("w_filter", "kernel_w", "filter_w", "kw", "filter_width", "kernel_width",
                 "field_width"),
    "shape": ("X_dim", "x_dim", "input_shape", "in_shape", "input_dims", "x_shape"),
    "stride": ("stride", "strides", "step"),
    "padding": ("padding", "pad"),
    "p": ("p", "rate", "drop_prob", "dropout", "drop_rate", "prob", "p_drop"),
    "keep": ("keep_prob", "keep", "p_keep", "keep_rate"),
    "eps": ("eps", "epsilon"),
    "G": ("G", "num_groups", "groups", "n_groups"),
    "negative_slope": ("negative_slope", "alpha", "slope", "leak", "leaky_slope", "a"),
    "lr": ("lr", "learning_rate", "eta", "step_size", "alpha_lr"),
    "init": ("weight_init_fn", "bias_init_fn", "weight_init", "bias_init", "init_fn"),
}


def normalize(name: str) -> str:
    """``Dense_Layer`` -> ``dense``: lower case, no underscores, no trailing ``layer``."""
    flat = name.replace("_", "").lower()
    return flat[: -len("layer")] if flat.endswith("layer") and flat != "layer" else flat


def spellings(name: str) -> list[str]:
    """The normalized forms of a class name to look up, most specific first: the whole
    name, then without one of ``PREFIXES`` (``Activation_Linear`` stays ``Identity``
    because its whole name is listed), then without ``layer`` inside it
    (``ConvLayer2D``)."""
    flat = normalize(name)
    stripped = [flat[len(p):] for p in PREFIXES if flat.startswith(p) and flat != p]
    inner = flat.replace("layer", "")
    return list(dict.fromkeys([flat, *stripped, *([inner] if inner else [])]))


def layer_of(name: str) -> str | None:
    """The catalog layer a class name means, or ``None``."""
    for spelling in spellings(name):
        for layer, known in LAYERS.items():
            if spelling in known:
                return layer
    return None


def find_class(namespace: Mapping[str, Any], layer: str) -> type | None:
    """The class in ``namespace`` that implements catalog ``layer``, by any known name.

    The catalog's own name wins; among other matches, the spelling listed first in
    ``LAYERS`` (``Activation_Softmax_Loss_CategoricalCrossentropy``, which takes logits,
    before ``Loss_CategoricalCrossentropy``), then the first defined.
    """
    known = LAYERS.get(layer, (normalize(layer),))
    ranked = []
    for order, (name, value) in enumerate(namespace.items()):
        if not (inspect.isclass(value) and _has_api(value)):
            continue
        if name == layer:
            return value
        if layer_of(name) == layer or (layer not in LAYERS and normalize(name) in known):
            rank = min(known.index(s) for s in spellings(name) if s in known)
            ranked.append((rank, order, value))
    return min(ranked, key=lambda r: r[:2])[2] if ranked else None


def method(obj: Any, kind: str) -> Any:
    """The object's (or class's) ``forward`` or ``backward`` under any name in
    ``METHODS``, or ``None``; ``__call__`` counts only when the class defines it."""
    cls = obj if inspect.isclass(obj) else type(obj)
    for name in METHODS[kind]:
        if name == "__call__" and not any("__call__" in vars(c) for c in cls.__mro__[:-1]):
            continue
        found = getattr(obj, name, None)
        if callable(found):
            return found
    return None


def first_callable(obj: Any, spellings: Iterable[str]) -> Any:
    """The first of ``spellings`` that is a method of ``obj`` (``flush_gradients``,
    ``initialize``...), or ``None``."""
    return next((getattr(obj, n) for n in spellings if callable(getattr(obj, n, None))), None)


def has_array(obj: Any, attr: str) -> bool:
    """Whether ``obj.attr`` holds an array (a parameter or its gradient), not a method."""
    value = getattr(obj, attr, None)
    return value is not None and hasattr(value, "shape") and not callable(value)


def layer_classes(namespace: Mapping[str, Any]) -> list[str]:
    """The names of ``namespace``'s classes that can be driven as layers, sorted."""
    return sorted(n for n, v in namespace.items() if inspect.isclass(v) and _has_api(v))


def _has_api(cls: type) -> bool:
    """``forward`` and ``backward`` (under any of their names), or an activation's
    ``derivative()``, or its derivative at the input ``gradient(x)`` (``pointwise``), or
    a loss object's ``loss`` and ``gradient`` (``lossobjects``)."""
    from harness.adapters import lossobjects

    return lossobjects.has_api(cls) or (method(cls, "forward") is not None and (
        method(cls, "backward") is not None or callable(getattr(cls, "derivative", None))
        or gradient_at_input(cls) is not None))


GRADIENT_AT_INPUT = ("gradient",)
"""An activation object's derivative at its input, ``gradient(x)`` (``pointwise``)."""


def gradient_at_input(obj: Any) -> Any:
    """The object's ``gradient(x)`` when it has no backward of its own, else ``None``:
    a method that takes the input can only mean the derivative there."""
    if method(obj, "backward") is not None:
        return None
    found = first_callable(obj, GRADIENT_AT_INPUT)
    return found if found is not None and _takes_input(found) else None


def _takes_input(fn: Any) -> bool:
    params = signatures.arguments(fn)
    return len(params) == 1 and params[0] in INPUTS


def grad_names(attrs: Iterable[str]) -> list[str]:
    """Every spelling of the gradient of a parameter known by any of ``attrs``."""
    return list(dict.fromkeys(form.format(a) for a in attrs for form in GRAD_FORMS))


def role(argument: str) -> str:
    """The constructor role (``in``, ``stride``...) of an argument name, or ``""``."""
    return next(iter(roles(argument)), "")


def roles(argument: str) -> list[str]:
    """Every constructor role an argument name may have, most likely first: ``size`` is
    a norm's feature count, or a pooling window (``Maxpool(X_dim, size, stride)``)."""
    return [key for key, spellings in CONSTRUCTOR.items() if argument in spellings]
