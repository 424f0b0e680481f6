"""Your backpropagation homework: fill in every ``forward`` and ``backward``.

Every layer follows one small API, the one ``backcheck`` checks:

* ``Layer(**params, **config)`` builds the layer from its parameters (``W``, ``b``,
  ``gamma``...) and its hyper-parameters (``stride``, ``eps``...).
* ``forward(*inputs)`` returns the output and caches, on ``self``, whatever
  ``backward`` will need.
* ``backward(dout)`` receives the gradient of the loss with respect to the output
  (same shape as the output) and returns a dict with the gradient of the loss with
  respect to every input and parameter: ``{"x": dx, "W": dW, "b": db}``. Each gradient
  has exactly the shape of the array it is the gradient of.

Arrays are NumPy arrays, batch first. Work in the dtype you are given (float32 or
float64): do not convert to float64 and back. Check your work with::

    backcheck check student_template/            # or your own copy of this folder
    backcheck check student_template/ --layers Linear,ReLU
"""

from __future__ import annotations

import numpy as np


class Linear:
    """Fully connected layer: ``out = x @ W + b``.

    Shapes: ``x`` (N, D), ``W`` (D, M) (in, out: note the order), ``b`` (M,),
    ``out`` (N, M). Cache ``x`` in forward: ``dW`` needs it.
    backward returns ``{"x": (N, D), "W": (D, M), "b": (M,)}``.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        self.W = W
        self.b = b

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Linear.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Linear.backward")


class ReLU:
    """``max(x, 0)`` element-wise; any shape. Cache where ``x > 0``.

    backward returns ``{"x": dx}`` shaped like ``x``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("ReLU.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("ReLU.backward")


class LeakyReLU:
    """``x`` where ``x > 0``, else ``negative_slope * x``; any shape.

    backward returns ``{"x": dx}`` shaped like ``x``.
    """

    def __init__(self, negative_slope: float = 0.01):
        self.negative_slope = negative_slope

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("LeakyReLU.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("LeakyReLU.backward")


class Sigmoid:
    """``1 / (1 + exp(-x))`` element-wise; any shape.

    Cache the *output* ``s``: the derivative is ``s * (1 - s)``.
    backward returns ``{"x": dx}`` shaped like ``x``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Sigmoid.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Sigmoid.backward")


class Tanh:
    """``tanh(x)`` element-wise; any shape. Cache the output ``t``: derivative ``1 - t**2``.

    backward returns ``{"x": dx}`` shaped like ``x``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Tanh.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Tanh.backward")


class Softmax:
    """Softmax over the last axis of ``x`` (any shape). Subtract the row maximum first.

    Cache the output ``s``; ``dx = s * (dout - sum(dout * s, last axis))``.
    backward returns ``{"x": dx}`` shaped like ``x``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Softmax.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Softmax.backward")


class GELU:
    """``x * Φ(x)`` element-wise, ``Φ`` the exact Gaussian CDF
    (``0.5 * (1 + erf(x / sqrt(2)))``, not the tanh approximation); any shape.

    The derivative is ``Φ(x) + x * φ(x)``, ``φ`` the Gaussian density.
    backward returns ``{"x": dx}`` shaped like ``x``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("GELU.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("GELU.backward")


class SiLU:
    """Swish with ``beta = 1``: ``x * sigmoid(x)`` element-wise; any shape.

    backward returns ``{"x": dx}`` shaped like ``x``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("SiLU.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("SiLU.backward")


class ELU:
    """``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``; any shape.

    backward returns ``{"x": dx}`` shaped like ``x``.
    """

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("ELU.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("ELU.backward")


class Softplus:
    """``log(1 + exp(x))`` element-wise (write it so large ``x`` cannot
    overflow); any shape. Its derivative is ``sigmoid(x)``.

    backward returns ``{"x": dx}`` shaped like ``x``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Softplus.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Softplus.backward")


class Identity:
    """``x`` unchanged; backward passes ``dout`` on as ``{"x": dx}``.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Identity.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Identity.backward")


class MSELoss:
    """Mean squared error over *every element*: ``mean((x - target)**2)``.

    ``x`` and ``target`` (N, C); forward returns a scalar. ``backward(dout=1.0)``
    returns ``{"x": dx}`` (N, C), the gradient of the *mean* (divide by N * C).
    """

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError("MSELoss.forward")

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        raise NotImplementedError("MSELoss.backward")


class BCELoss:
    """Mean binary cross-entropy of probabilities ``x`` (N, C) in (0, 1) vs ``target``.

    ``-mean(target * log(x) + (1 - target) * log(1 - x))`` over every element.
    ``backward(dout=1.0)`` returns ``{"x": dx}`` (N, C).
    """

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError("BCELoss.forward")

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        raise NotImplementedError("BCELoss.backward")


class CrossEntropy:
    """Softmax cross-entropy of logits ``x`` (N, C) against integer classes ``target`` (N,).

    ``mean over the batch of -log softmax(x)[n, target[n]]``; use a stable log-softmax.
    ``backward(dout=1.0)`` returns ``{"x": dx}`` (N, C): ``(softmax(x) - onehot) / N``.
    """

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError("CrossEntropy.forward")

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        raise NotImplementedError("CrossEntropy.backward")


class SVMLoss:
    """Multiclass SVM (hinge) loss of scores ``x`` (N, C), integer classes
    ``target`` (N,) (CS231n ``svm_loss``).

    ``mean over the batch of sum over j != target of max(0, x_j - x_target + 1)``.
    ``backward(dout=1.0)`` returns ``{"x": dx}`` (N, C).
    """

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError("SVMLoss.forward")

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        raise NotImplementedError("SVMLoss.backward")


class LayerNorm:
    """Normalize each *sample* of ``x`` (N, D) over its D features, then scale and shift.

    ``gamma * (x - mean) / sqrt(var + eps) + beta``, biased variance, ``gamma`` and
    ``beta`` (D,). Cache the normalized ``x̂`` and ``1 / sqrt(var + eps)``.
    backward returns ``{"x": (N, D), "gamma": (D,), "beta": (D,)}``.
    """

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5):
        self.gamma, self.beta, self.eps = gamma, beta, eps

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("LayerNorm.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("LayerNorm.backward")


class BatchNorm:
    """Training mode: normalize each *feature* of ``x`` (N, D) over the batch.

    Batch mean and biased variance (no running statistics), then ``gamma * x̂ + beta``
    with ``gamma``, ``beta`` (D,).
    backward returns ``{"x": (N, D), "gamma": (D,), "beta": (D,)}``.
    """

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5):
        self.gamma, self.beta, self.eps = gamma, beta, eps

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("BatchNorm.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("BatchNorm.backward")


class SpatialBatchNorm:
    """BatchNorm2d in training mode: ``x`` (N, C, H, W), each *channel*
    normalized over (N, H, W) with the batch mean and biased variance.

    Then ``gamma * x̂ + beta`` with ``gamma``, ``beta`` (C,) broadcast per channel.
    backward returns ``{"x": (N, C, H, W), "gamma": (C,), "beta": (C,)}``.
    """

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5):
        self.gamma, self.beta, self.eps = gamma, beta, eps

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("SpatialBatchNorm.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("SpatialBatchNorm.backward")


class GroupNorm:
    """Split the C channels of ``x`` (N, C, H, W) into ``G`` groups of C/G;
    normalize each sample's group over (C/G, H, W) (biased variance).

    Then ``gamma * x̂ + beta`` with ``gamma``, ``beta`` (C,) per channel.
    backward returns ``{"x": (N, C, H, W), "gamma": (C,), "beta": (C,)}``.
    """

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, G: int,
                 eps: float = 1e-5):
        self.gamma, self.beta, self.G, self.eps = gamma, beta, G, eps

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("GroupNorm.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("GroupNorm.backward")


class Conv1d:
    """Cross-correlation (as in PyTorch) of ``x`` (N, C, L) with ``W`` (F, C, K) plus ``b`` (F,).

    ``padding`` zeros on both ends, then the kernel moves by ``stride``:
    ``L_out = (L + 2 * padding - K) // stride + 1``; out (N, F, L_out).
    backward returns ``{"x": (N, C, L), "W": (F, C, K), "b": (F,)}``.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0):
        self.W, self.b, self.stride, self.padding = W, b, stride, padding

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Conv1d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Conv1d.backward")


class Conv2d:
    """Cross-correlation of ``x`` (N, C, H, W) (NCHW) with ``W`` (F, C, KH, KW) plus ``b`` (F,).

    ``stride`` and ``padding`` are an int for both axes or a pair ``(h, w)`` (as torch):
    ``(pad_h, pad_w)`` zeros above and below, left and right, then
    ``H_out = (H + 2 * pad_h - KH) // stride_h + 1`` (likewise W_out with ``pad_w`` and
    ``stride_w``); out (N, F, H_out, W_out).
    Cache the (padded) input. backward returns ``{"x", "W", "b"}`` shaped like them.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, stride: int | tuple[int, int] = 1,
                 padding: int | tuple[int, int] = 0):
        self.W, self.b, self.stride, self.padding = W, b, stride, padding

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Conv2d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Conv2d.backward")


class MaxPool2d:
    """Maximum of each ``kernel_size`` x ``kernel_size`` window of ``x`` (N, C, H, W).

    ``padding`` adds that many -inf rows and columns on every side (as torch), so a
    padded position is never a maximum; windows that do not fit are dropped; ``stride``
    defaults to ``kernel_size``. The gradient of a window goes to its maximum only
    (cache where). backward returns ``{"x": dx}`` shaped like ``x``, the padding cropped
    (overlapping windows add up).
    """

    def __init__(self, kernel_size: int, stride: int | None = None, padding: int = 0):
        self.kernel_size, self.stride = kernel_size, stride or kernel_size
        self.padding = padding

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("MaxPool2d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("MaxPool2d.backward")


class AvgPool2d:
    """Mean of each ``kernel_size`` x ``kernel_size`` window of ``x`` (N, C, H, W).

    ``padding`` adds zeros on every side that count in the mean (torch's
    ``count_include_pad=True``): every window divides by ``kernel_size**2``, at the
    border too. Each input element receives ``1 / kernel_size**2`` of every window it is
    in. backward returns ``{"x": dx}`` shaped like ``x``, the padding cropped.
    """

    def __init__(self, kernel_size: int, stride: int | None = None, padding: int = 0):
        self.kernel_size, self.stride = kernel_size, stride or kernel_size
        self.padding = padding

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("AvgPool2d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("AvgPool2d.backward")


class Dropout:
    """Inverted dropout with a given 0/1 ``mask`` (shaped like ``x``): ``x * mask / (1 - p)``.

    The mask is an input (so checks are reproducible) and is not differentiated.
    backward returns ``{"x": dx}`` shaped like ``x``.
    """

    def __init__(self, p: float = 0.5):
        self.p = p

    def forward(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Dropout.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Dropout.backward")


class Flatten:
    """(N, C, H, W) -> (N, C*H*W) in C order; cache the input shape.

    backward returns ``{"x": dx}`` reshaped back to the input's shape.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Flatten.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Flatten.backward")


class Embedding:
    """Word embedding: integer indices ``x`` (N, T) pick rows of ``W`` (V, D) -> (N, T, D).

    ``x`` is not differentiated. backward returns ``{"W": dW}`` (V, D): every row of
    ``dout`` is *added* to the row of ``dW`` it came from (an index may appear twice).
    """

    def __init__(self, W: np.ndarray):
        self.W = W

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Embedding.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Embedding.backward")


class RNNCell:
    """One vanilla RNN step: ``next_h = tanh(x @ Wx + prev_h @ Wh + b)``.

    ``x`` (N, D), ``prev_h`` (N, H), ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,).
    backward returns ``{"x", "prev_h", "Wx", "Wh", "b"}``.
    """

    def __init__(self, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x: np.ndarray, prev_h: np.ndarray) -> np.ndarray:
        raise NotImplementedError("RNNCell.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("RNNCell.backward")


class RNN:
    """A vanilla RNN over a sequence: ``x`` (N, T, D) from ``h0`` (N, H) to every hidden
    state ``h`` (N, T, H), the RNNCell step at each t.

    backward takes ``dout`` (N, T, H) and returns ``{"x", "h0", "Wx", "Wh", "b"}``:
    backprop through time, adding at each step the gradient that comes back from the next.
    """

    def __init__(self, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x: np.ndarray, h0: np.ndarray) -> np.ndarray:
        raise NotImplementedError("RNN.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("RNN.backward")


class LSTMCell:
    """One LSTM step, gates in the order i, f, o, g: ``a = x @ Wx + prev_h @ Wh + b``
    split into four (N, H) blocks; ``next_c = σ(f)·prev_c + σ(i)·tanh(g)``,
    ``next_h = σ(o)·tanh(next_c)``. ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,).

    forward returns ``np.stack([next_h, next_c])`` (2, N, H); backward gets ``dout``
    stacked the same way and returns ``{"x", "prev_h", "prev_c", "Wx", "Wh", "b"}``.
    """

    def __init__(self, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x: np.ndarray, prev_h: np.ndarray, prev_c: np.ndarray) -> np.ndarray:
        raise NotImplementedError("LSTMCell.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("LSTMCell.backward")


class LSTM:
    """An LSTM over a sequence: ``x`` (N, T, D) from ``h0`` (N, H) and a *zero* cell
    state, to every hidden state ``h`` (N, T, H) (the cell state is not an output).

    backward takes ``dout`` (N, T, H) and returns ``{"x", "h0", "Wx", "Wh", "b"}``.
    """

    def __init__(self, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x: np.ndarray, h0: np.ndarray) -> np.ndarray:
        raise NotImplementedError("LSTM.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("LSTM.backward")


class GRUCell:
    """One GRU step as PyTorch's ``GRUCell``, gates in the order r, z, n, with ``Wx``
    (D, 3H), ``Wh`` (H, 3H) and two biases ``bx``, ``bh`` (3H,)::

        r = σ(x Wx_r + bx_r + h Wh_r + bh_r)    z = σ(x Wx_z + bx_z + h Wh_z + bh_z)
        n = tanh(x Wx_n + bx_n + r * (h Wh_n + bh_n))
        next_h = (1 - z) * n + z * h

    backward returns ``{"x", "prev_h", "Wx", "Wh", "bx", "bh"}``.
    """

    def __init__(self, Wx: np.ndarray, Wh: np.ndarray, bx: np.ndarray, bh: np.ndarray):
        self.Wx, self.Wh, self.bx, self.bh = Wx, Wh, bx, bh

    def forward(self, x: np.ndarray, prev_h: np.ndarray) -> np.ndarray:
        raise NotImplementedError("GRUCell.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("GRUCell.backward")


class TemporalAffine:
    """``x @ W + b`` at every time step: ``x`` (N, T, D), ``W`` (D, M), ``b`` (M,).

    backward returns ``{"x", "W", "b"}``; ``dW`` and ``db`` sum over the batch and time.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        self.W, self.b = W, b

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("TemporalAffine.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("TemporalAffine.backward")


class TemporalSoftmaxLoss:
    """Softmax cross-entropy at every step of scores ``x`` (N, T, V) against integer
    ``target`` (N, T), counted only where the boolean ``mask`` (N, T) is true.

    The losses are *summed over time and divided by N* (not by the number of unmasked
    steps). ``backward(dout=1.0)`` returns ``{"x": dx}`` (N, T, V), zero where masked.
    """

    def forward(self, x: np.ndarray, target: np.ndarray, mask: np.ndarray) -> np.ndarray:
        raise NotImplementedError("TemporalSoftmaxLoss.forward")

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        raise NotImplementedError("TemporalSoftmaxLoss.backward")


class Attention:
    """Scaled dot-product attention: ``softmax(q kᵀ / sqrt(D)) v``.

    q (N, Tq, D), k (N, Tk, D), v (N, Tk, Dv) -> (N, Tq, Dv). With ``causal`` (Tq == Tk)
    query i attends keys 0..i only: set the other scores to -inf *before* the softmax.
    backward returns ``{"q": dq, "k": dk, "v": dv}``.
    """

    def __init__(self, causal: bool = False):
        self.causal = causal

    def forward(self, q: np.ndarray, k: np.ndarray, v: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Attention.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Attention.backward")


class MultiHeadAttention:
    """Multi-head attention (CS231n, no dropout): query (N, S, E), key, value (N, T, E).

    Project each input (``x @ W + b``, every ``W`` (E, E) as (in, out)), split E into
    ``num_heads`` heads, attend each head with scale 1 / sqrt(E / num_heads) (causal
    when ``causal``), merge the heads and project with ``Wo``, ``bo``. backward returns
    the gradients of query, key, value and of Wq, bq, Wk, bk, Wv, bv, Wo, bo.
    """

    def __init__(self, Wq: np.ndarray, bq: np.ndarray, Wk: np.ndarray, bk: np.ndarray,
                 Wv: np.ndarray, bv: np.ndarray, Wo: np.ndarray, bo: np.ndarray,
                 num_heads: int, causal: bool = False):
        self.Wq, self.bq, self.Wk, self.bk = Wq, bq, Wk, bk
        self.Wv, self.bv, self.Wo, self.bo = Wv, bv, Wo, bo
        self.num_heads, self.causal = num_heads, causal

    def forward(self, query: np.ndarray, key: np.ndarray, value: np.ndarray) -> np.ndarray:
        raise NotImplementedError("MultiHeadAttention.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("MultiHeadAttention.backward")


# --- convfamily: transposed convolutions, resampling (CMU 11-785 HW2), 1-D pooling ---


class ConvTranspose1d:
    """Transposed convolution of ``x`` (N, C_in, L) with ``W`` (C_in, C_out, K) (torch's layout).

    Each input position adds ``x[n, :, i] · W`` to the output window starting at
    ``i * stride``; then ``padding`` is cropped from both ends:
    ``L_out = (L - 1) * stride - 2 * padding + K``. backward returns ``{"x", "W", "b"}``.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0):
        self.W, self.b, self.stride, self.padding = W, b, stride, padding

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("ConvTranspose1d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("ConvTranspose1d.backward")


class ConvTranspose2d:
    """Transposed convolution of ``x`` (N, C_in, H, W) with ``W`` (C_in, C_out, KH, KW).

    As ConvTranspose1d on both spatial axes: ``H_out = (H - 1) * stride - 2 * padding + KH``
    (likewise W_out). backward returns ``{"x", "W", "b"}`` shaped like them.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0):
        self.W, self.b, self.stride, self.padding = W, b, stride, padding

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("ConvTranspose2d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("ConvTranspose2d.backward")


class MaxPool1d:
    """Maximum of each ``kernel_size`` window of ``x`` (N, C, L); no padding.

    Windows that do not fit are dropped; ``stride`` defaults to ``kernel_size``. The
    gradient of a window goes to its maximum only. backward returns ``{"x": dx}``.
    """

    def __init__(self, kernel_size: int, stride: int | None = None):
        self.kernel_size, self.stride = kernel_size, stride or kernel_size

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("MaxPool1d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("MaxPool1d.backward")


class AvgPool1d:
    """Mean of each ``kernel_size`` window of ``x`` (N, C, L); no padding.

    Each element of a window gets ``1 / kernel_size`` of that window's gradient.
    backward returns ``{"x": dx}``.
    """

    def __init__(self, kernel_size: int, stride: int | None = None):
        self.kernel_size, self.stride = kernel_size, stride or kernel_size

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("AvgPool1d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("AvgPool1d.backward")


class Upsample1d:
    """Dilation by zeros: ``k - 1`` zeros between neighbours of ``x`` (N, C, L).

    out (N, C, k * (L - 1) + 1) with ``out[..., ::k] == x``. backward returns
    ``{"x": dout[..., ::k]}``.
    """

    def __init__(self, upsampling_factor: int):
        self.upsampling_factor = upsampling_factor

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Upsample1d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Upsample1d.backward")


class Upsample2d:
    """Upsample1d on both spatial axes of ``x`` (N, C, H, W)."""

    def __init__(self, upsampling_factor: int):
        self.upsampling_factor = upsampling_factor

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Upsample2d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Upsample2d.backward")


class Downsample1d:
    """Every ``k``-th element of ``x`` (N, C, L) from the first: ``x[..., ::k]``.

    backward puts ``dout`` back at those positions, zeros elsewhere, at the input's own
    width (cache it: L is not always ``k * (L_out - 1) + 1``). Returns ``{"x": dx}``.
    """

    def __init__(self, downsampling_factor: int):
        self.downsampling_factor = downsampling_factor

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Downsample1d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Downsample1d.backward")


class Downsample2d:
    """Downsample1d on both spatial axes of ``x`` (N, C, H, W): ``x[..., ::k, ::k]``."""

    def __init__(self, downsampling_factor: int):
        self.downsampling_factor = downsampling_factor

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError("Downsample2d.forward")

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        raise NotImplementedError("Downsample2d.backward")


class LinearRegression:
    """One Linear 1 -> 1 under MSELoss: ``forward(x, target)`` returns the scalar loss.

    ``W`` (1, 1), ``b`` (1,); ``x``, ``target`` (N, 1). ``backward(dout=1.0)`` returns the
    gradients of the *parameters only*: ``{"W": (1, 1), "b": (1,)}``. Build it from your
    ``Linear`` and ``MSELoss``.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        self.W, self.b = W, b

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError("LinearRegression.forward")

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        raise NotImplementedError("LinearRegression.backward")


class RegressionMLP:
    """Linear 1 -> 2, ReLU, Linear 2 -> 1, then MSELoss; ``forward(x, target)`` -> loss.

    ``W1`` (1, 2), ``b1`` (2,), ``W2`` (2, 1), ``b2`` (1,). ``backward(dout=1.0)`` returns
    ``{"W1", "b1", "W2", "b2"}`` shaped like the parameters.
    """

    def __init__(self, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray):
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError("RegressionMLP.forward")

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        raise NotImplementedError("RegressionMLP.backward")


class XORNet:
    """Linear 2 -> 4, ReLU, Linear 4 -> 1, Sigmoid, then BCELoss; ``forward(x, target)`` -> loss.

    ``W1`` (2, 4), ``b1`` (4,), ``W2`` (4, 1), ``b2`` (1,); ``x`` (N, 2), ``target`` (N, 1).
    ``backward(dout=1.0)`` returns ``{"W1", "b1", "W2", "b2"}`` shaped like the parameters.
    """

    def __init__(self, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray):
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError("XORNet.forward")

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        raise NotImplementedError("XORNet.backward")


class TwoLayerNet:
    """CS231n's classifier: Linear D -> H, ReLU, Linear H -> C, softmax cross-entropy, L2.

    ``W1`` (D, H), ``b1`` (H,), ``W2`` (H, C), ``b2`` (C,); ``x`` (N, D), ``target`` (N,)
    integer classes. ``forward(x, target)`` returns the batch mean of the cross-entropy
    plus ``0.5 * reg * (sum(W1**2) + sum(W2**2))``.
    ``backward(dout=1.0)`` returns ``{"W1", "b1", "W2", "b2"}`` shaped like the parameters.
    """

    def __init__(self, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray,
                 reg: float = 0.0):
        self.W1, self.b1, self.W2, self.b2, self.reg = W1, b1, W2, b2, reg

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError("TwoLayerNet.forward")

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        raise NotImplementedError("TwoLayerNet.backward")


class SigmoidNet:
    """Sigmoid layers on ONE column-vector sample, quadratic cost (the classic book's net).

    ``x`` (D, 1), ``target`` (M, 1); ``W1`` (H, D), ``b1`` (H, 1), ``W2`` (M, H),
    ``b2`` (M, 1): weights are (out, in) and biases columns. ``a = σ(W2 σ(W1 x + b1) + b2)``;
    ``forward(x, target)`` returns ``0.5 * sum((a - target)**2)`` (a sum, not a mean).
    ``backward(dout=1.0)`` returns ``{"W1", "b1", "W2", "b2"}`` shaped like the parameters.
    """

    def __init__(self, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray):
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2

    def forward(self, x: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError("SigmoidNet.forward")

    def backward(self, dout: np.ndarray = 1.0) -> dict[str, np.ndarray]:
        raise NotImplementedError("SigmoidNet.backward")
