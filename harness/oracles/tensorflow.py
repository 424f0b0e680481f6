"""TensorFlow ``GradientTape`` as an oracle.

Layers are written with ``tf.nn`` in TensorFlow's own layouts; any conversion between
backcheck's layouts (NCHW, ``W`` as (in, out)) and TensorFlow's (NHWC, HWIO kernels)
happens inside these functions, never in the code under test.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from importlib import metadata

import numpy as np

from harness.case import Case
from harness.outcome import Outcome
from harness.spec import Spec
from harness.specs import plugins


def _forwards() -> dict[str, Callable]:
    """Layer name -> TensorFlow function of (*inputs, *params, **config)."""
    import tensorflow as tf

    return {
        "Linear": lambda x, W, b: x @ W + b,
        "ReLU": tf.nn.relu,
        "LeakyReLU": lambda x, negative_slope: tf.nn.leaky_relu(x, alpha=negative_slope),
        "Sigmoid": tf.sigmoid,
        "Tanh": tf.tanh,
        "Softmax": lambda x: tf.nn.softmax(x, axis=-1),
        "MSELoss": _mse,
        "BCELoss": _bce,
        "CrossEntropy": lambda x, target: tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=x)
        ),
        "LayerNorm": lambda x, gamma, beta, eps: _normalize(x, gamma, beta, eps, axis=1),
        "BatchNorm": lambda x, gamma, beta, eps: _normalize(x, gamma, beta, eps, axis=0),
        "Conv1d": _conv1d,
        "Conv2d": _conv2d,
        "MaxPool2d": lambda x, kernel_size, stride, padding=0: _pool(
            tf.nn.max_pool2d, x, kernel_size, stride, padding, fill=-np.inf),
        "AvgPool2d": lambda x, kernel_size, stride, padding=0: _pool(
            tf.nn.avg_pool2d, x, kernel_size, stride, padding),
        # tf.nn.dropout draws its own mask; the case's explicit mask is applied instead.
        "Dropout": lambda x, mask, p: x * mask / (1 - p),
        "Flatten": lambda x: tf.reshape(x, (tf.shape(x)[0], -1)),
        "LinearRegression": lambda x, target, W, b: _mse(x @ W + b, target),
        "RegressionMLP": lambda x, target, *params: _mse(_mlp(x, *params), target),
        "XORNet": lambda x, target, *params: _bce(tf.sigmoid(_mlp(x, *params)), target),
        "TwoLayerNet": _two_layer_net,
        "SigmoidNet": lambda x, target, W1, b1, W2, b2: 0.5 * tf.reduce_sum(
            tf.square(tf.sigmoid(W2 @ tf.sigmoid(W1 @ x + b1) + b2) - target)
        ),
        "GELU": lambda x: tf.nn.gelu(x, approximate=False),
        "SiLU": tf.nn.silu,
        "ELU": lambda x, alpha: tf.where(x > 0, x, alpha * tf.math.expm1(tf.minimum(x, 0))),
        "Softplus": tf.nn.softplus,
        "Identity": tf.identity,
        "SVMLoss": _svm,
        "SpatialBatchNorm": _spatial_batch_norm,
        "GroupNorm": _group_norm,
        "Embedding": lambda x, W: tf.gather(W, x),
        **_sequence_layers(),
        **_attention_layers(),
        **_conv_family(),
    }


def _mse(x, target):
    tf = _tf()
    return tf.reduce_mean(tf.square(x - target))


def _bce(x, target):
    """Mean binary cross-entropy of probabilities (Keras' version clips them; this does not)."""
    tf = _tf()
    return -tf.reduce_mean(target * tf.math.log(x) + (1 - target) * tf.math.log(1 - x))


def _mlp(x, W1, b1, W2, b2):
    return _tf().nn.relu(x @ W1 + b1) @ W2 + b2


def _two_layer_net(x, target, W1, b1, W2, b2, reg):
    """Mean softmax cross-entropy of the ReLU MLP's scores plus the L2 penalty."""
    tf = _tf()
    scores = _mlp(x, W1, b1, W2, b2)
    data = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=scores))
    return data + 0.5 * reg * (tf.reduce_sum(W1**2) + tf.reduce_sum(W2**2))


def _normalize(x, gamma, beta, eps, axis):
    """Standardization along ``axis`` with the biased variance, as ``tf.nn.moments`` gives."""
    tf = _tf()
    mean, variance = tf.nn.moments(x, axes=[axis], keepdims=True)
    return tf.nn.batch_normalization(x, mean, variance, beta, gamma, eps)


def _conv1d(x, W, b, stride, padding):
    """NCL and (F, C, K) in; NLC and (K, C, F) for TensorFlow; NCL out."""
    tf = _tf()
    x = tf.pad(tf.transpose(x, (0, 2, 1)), [[0, 0], [padding, padding], [0, 0]])
    out = tf.nn.conv1d(x, tf.transpose(W, (2, 1, 0)), stride=stride, padding="VALID") + b
    return tf.transpose(out, (0, 2, 1))


def _conv2d(x, W, b, stride, padding):
    """NCHW and (F, C, KH, KW) in; NHWC and (KH, KW, C, F) for TensorFlow; NCHW out."""
    tf = _tf()
    ph, pw = padding if isinstance(padding, tuple) else (padding, padding)
    pads = [[0, 0], [ph, ph], [pw, pw], [0, 0]]
    stride = list(stride) if isinstance(stride, tuple) else stride
    x = tf.pad(tf.transpose(x, (0, 2, 3, 1)), pads)
    out = tf.nn.conv2d(x, tf.transpose(W, (2, 3, 1, 0)), strides=stride, padding="VALID") + b
    return tf.transpose(out, (0, 3, 1, 2))


def _pool(pool, x, kernel_size, stride, padding=0, fill=0.0):
    """A ``tf.nn`` pool, which wants NHWC, applied to an NCHW input padded with ``fill``
    (-inf for max, zeros counted in the mean for average: torch's semantics)."""
    tf = _tf()
    pads = [[0, 0], [0, 0], [padding, padding], [padding, padding]]
    x = tf.pad(x, pads, constant_values=fill)
    out = pool(tf.transpose(x, (0, 2, 3, 1)), kernel_size, stride, padding="VALID")
    return tf.transpose(out, (0, 3, 1, 2))


def _svm(x, target):
    """Mean multiclass hinge loss; the true class's own margin is masked out."""
    tf = _tf()
    own = tf.one_hot(target, tf.shape(x)[1], dtype=x.dtype)
    correct = tf.reduce_sum(x * own, axis=1, keepdims=True)
    margins = tf.nn.relu(x - correct + 1.0) * (1.0 - own)
    return tf.reduce_sum(margins) / tf.cast(tf.shape(x)[0], x.dtype)


def _spatial_batch_norm(x, gamma, beta, eps):
    """NCHW standardized per channel over (N, H, W)."""
    tf = _tf()
    mean, variance = tf.nn.moments(x, axes=[0, 2, 3], keepdims=True)
    return tf.nn.batch_normalization(x, mean, variance, beta[:, None, None],
                                     gamma[:, None, None], eps)


def _group_norm(x, gamma, beta, G, eps):
    """NCHW in G channel groups, each standardized per sample over (C/G, H, W)."""
    tf = _tf()
    n, c, h, w = x.shape
    grouped = tf.reshape(x, (n, G, c // G, h, w))
    mean, variance = tf.nn.moments(grouped, axes=[2, 3, 4], keepdims=True)
    xhat = tf.reshape((grouped - mean) * tf.math.rsqrt(variance + eps), (n, c, h, w))
    return gamma[:, None, None] * xhat + beta[:, None, None]


def _sequence_layers() -> dict[str, Callable]:
    """Recurrent and per-time-step layers, written out gate by gate with ``tf`` ops."""
    tf = _tf()
    return {
        "RNNCell": _rnn_cell,
        "RNN": lambda x, h0, Wx, Wh, b: _unrolled(x, h0, lambda xt, h: _rnn_cell(
            xt, h, Wx, Wh, b)),
        "LSTMCell": lambda x, h, c, Wx, Wh, b: tf.stack(_lstm_cell(x, h, c, Wx, Wh, b)),
        "LSTM": _lstm,
        "GRUCell": _gru_cell,
        "TemporalAffine": lambda x, W, b: tf.einsum("ntd,dm->ntm", x, W) + b,
        "TemporalSoftmaxLoss": _temporal_softmax_loss,
    }


def _rnn_cell(x, h, Wx, Wh, b):
    return _tf().tanh(x @ Wx + h @ Wh + b)


def _lstm_cell(x, h, c, Wx, Wh, b):
    """Gates i, f, o, g (CS231n's order); returns (next_h, next_c)."""
    tf = _tf()
    i, f, o, g = tf.split(x @ Wx + h @ Wh + b, 4, axis=1)
    c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
    return tf.sigmoid(o) * tf.tanh(c), c


def _lstm(x, h0, Wx, Wh, b):
    """The LSTM over time from h0 and a zero cell state; every hidden state out."""
    tf = _tf()
    h, c, states = h0, tf.zeros_like(h0), []
    for t in range(x.shape[1]):
        h, c = _lstm_cell(x[:, t], h, c, Wx, Wh, b)
        states.append(h)
    return tf.stack(states, axis=1)


def _unrolled(x, h, step):
    states = []
    for t in range(x.shape[1]):
        h = step(x[:, t], h)
        states.append(h)
    return _tf().stack(states, axis=1)


def _gru_cell(x, h, Wx, Wh, bx, bh):
    """torch's GRUCell: gates r, z, n; the reset gate scales the recurrent part and its bias."""
    tf = _tf()
    xr, xz, xn = tf.split(x @ Wx + bx, 3, axis=1)
    hr, hz, hn = tf.split(h @ Wh + bh, 3, axis=1)
    r, z = tf.sigmoid(xr + hr), tf.sigmoid(xz + hz)
    return (1 - z) * tf.tanh(xn + r * hn) + z * h


def _temporal_softmax_loss(x, target, mask):
    """Cross-entropy at every unmasked step, summed, divided by the batch size."""
    tf = _tf()
    losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=x)
    return tf.reduce_sum(losses * tf.cast(mask, x.dtype)) / tf.cast(tf.shape(x)[0], x.dtype)


def _attention_layers() -> dict[str, Callable]:
    """Attention and multi-head attention, written out with explicit TensorFlow ops."""
    return {"Attention": _attention, "MultiHeadAttention": _multi_head_attention}


def _attention(q, k, v, causal):
    """softmax(q kᵀ / sqrt(D)) v over the last two axes; masked scores are -inf."""
    tf = _tf()
    scores = tf.matmul(q, k, transpose_b=True) / tf.sqrt(tf.cast(tf.shape(q)[-1], q.dtype))
    if causal:
        keep = tf.linalg.band_part(tf.ones_like(scores), -1, 0) > 0
        scores = tf.where(keep, scores, tf.constant(-np.inf, scores.dtype))
    return tf.matmul(tf.nn.softmax(scores, axis=-1), v)


def _multi_head_attention(query, key, value, Wq, bq, Wk, bk, Wv, bv, Wo, bo, num_heads,
                          causal):
    """Project, split into heads (N, H, T, E / H), attend, merge, project."""
    tf = _tf()

    def heads(x, W, b):
        n, t, e = x.shape
        return tf.transpose(tf.reshape(x @ W + b, (n, t, num_heads, e // num_heads)),
                            (0, 2, 1, 3))

    mixed = _attention(heads(query, Wq, bq), heads(key, Wk, bk), heads(value, Wv, bv), causal)
    n, s, e = query.shape
    return tf.reshape(tf.transpose(mixed, (0, 2, 1, 3)), (n, s, e)) @ Wo + bo


# --- convfamily: transposed convolutions, resampling, 1-D pooling ---


def _conv_family() -> dict[str, Callable]:
    tf = _tf()
    return {
        "ConvTranspose1d": _conv_transpose1d,
        "ConvTranspose2d": _conv_transpose2d,
        "MaxPool1d": lambda x, kernel_size, stride: _pool1d(tf.nn.max_pool1d, x, kernel_size,
                                                            stride),
        "AvgPool1d": lambda x, kernel_size, stride: _pool1d(tf.nn.avg_pool1d, x, kernel_size,
                                                            stride),
        "Upsample1d": lambda x, upsampling_factor: _dilate(x, upsampling_factor),
        "Upsample2d": lambda x, upsampling_factor: _dilate2d(x, upsampling_factor),
        "Downsample1d": lambda x, downsampling_factor: x[..., ::downsampling_factor],
        "Downsample2d": lambda x, downsampling_factor: x[
            ..., ::downsampling_factor, ::downsampling_factor],
    }


def _conv_transpose1d(x, W, b, stride, padding):
    """NCL and (C_in, C_out, K) in; NLC and (K, C_out, C_in) for TensorFlow; cropped NCL."""
    tf = _tf()
    n, _, length = x.shape
    full = (length - 1) * stride + W.shape[2]
    out = tf.nn.conv1d_transpose(tf.transpose(x, (0, 2, 1)), tf.transpose(W, (2, 1, 0)),
                                 (n, full, W.shape[1]), stride, padding="VALID")
    out = tf.transpose(out[:, padding:full - padding] + b, (0, 2, 1))
    return out


def _conv_transpose2d(x, W, b, stride, padding):
    """NCHW and (C_in, C_out, KH, KW) in; NHWC and (KH, KW, C_out, C_in) for TensorFlow."""
    tf = _tf()
    n, _, h, w = x.shape
    full = ((h - 1) * stride + W.shape[2], (w - 1) * stride + W.shape[3])
    out = tf.nn.conv2d_transpose(tf.transpose(x, (0, 2, 3, 1)), tf.transpose(W, (2, 3, 1, 0)),
                                 (n, *full, W.shape[1]), stride, padding="VALID")
    out = out[:, padding:full[0] - padding, padding:full[1] - padding] + b
    return tf.transpose(out, (0, 3, 1, 2))


def _pool1d(pool, x, kernel_size, stride):
    """A ``tf.nn`` 1-D pool, which wants NLC, applied to an NCL input."""
    tf = _tf()
    out = pool(tf.transpose(x, (0, 2, 1)), kernel_size, stride, padding="VALID")
    return tf.transpose(out, (0, 2, 1))


def _dilate(x, k):
    """``k - 1`` zeros after every element of the last axis, the trailing ones cut off."""
    tf = _tf()
    length = x.shape[-1]
    spaced = tf.stack([x, *[tf.zeros_like(x)] * (k - 1)], axis=-1)
    return tf.reshape(spaced, (*x.shape[:-1], length * k))[..., : k * (length - 1) + 1]


def _dilate2d(x, k):
    """Both trailing axes dilated: the last one, then (swapped in) the one before it."""
    tf = _tf()
    rows = tf.transpose(_dilate(x, k), (0, 1, 3, 2))
    return tf.transpose(_dilate(rows, k), (0, 1, 3, 2))


class TensorFlowOracle:
    """Expected values from TensorFlow's GradientTape."""

    name = "tensorflow"

    def __init__(self) -> None:
        self._table: dict[str, Callable] | None = None

    def unavailable(self) -> str | None:
        if importlib.util.find_spec("tensorflow") is None:
            return "TensorFlow is not installed (pip install 'backcheck[tensorflow]')"
        return None

    def version(self) -> str:
        for distribution in ("tensorflow-cpu", "tensorflow"):
            try:
                return f"tensorflow-{metadata.version(distribution)}"
            except metadata.PackageNotFoundError:
                continue
        return "tensorflow-unknown"

    def supports(self, spec: Spec) -> bool:
        return self._forward(spec) is not None

    def evaluate(self, spec: Spec, case: Case) -> Outcome:
        tf = _tf()
        arrays = case.arrays()
        tensors = {k: _tensor(v) for k, v in arrays.items()}
        wrt = [tensors[n] for n in spec.wrt]
        with tf.GradientTape() as tape:
            for t in wrt:
                tape.watch(t)
            ordered = [tensors[n] for n in (*spec.inputs, *spec.params)]
            out = self._forward(spec)(*ordered, **case.config)
        upstream = tf.reshape(tf.constant(np.asarray(case.upstream, np.float64)), tf.shape(out))
        grads = tape.gradient(out, wrt, output_gradients=upstream)
        return Outcome(
            output=np.asarray(out.numpy()),
            # A gather's gradient is sparse (IndexedSlices): densify it.
            grads={n: np.asarray(tf.convert_to_tensor(g).numpy())
                   for n, g in zip(spec.wrt, grads, strict=True)},
        )

    def _forwards(self) -> dict[str, Callable]:
        if self._table is None:
            self._table = _forwards()
        return self._table

    def _forward(self, spec: Spec) -> Callable | None:
        """The catalog's function for ``spec``, else the one its course file gives."""
        if spec.name in self._forwards():
            return self._forwards()[spec.name]
        return plugins.expression(spec.name, "TENSORFLOW")


def _tf():
    """TensorFlow, imported quietly (its C++ start-up log is noise to our users)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    return tf


def _tensor(array: np.ndarray):
    tf = _tf()
    array = np.asarray(array)
    if np.issubdtype(array.dtype, np.floating):
        return tf.constant(array, dtype=tf.float64)
    return tf.constant(array)
