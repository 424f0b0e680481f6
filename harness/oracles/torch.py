"""PyTorch autograd as an oracle.

Each layer of the catalog is written once more with ``torch.nn.functional`` in
backcheck's layouts (batch-first, ``W`` as (in, out), NCHW); gradients come from
``torch.autograd.grad`` with the case's upstream gradient, in float64.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata

import numpy as np

from harness.case import Case
from harness.outcome import Outcome
from harness.spec import Spec
from harness.specs import plugins


def _forwards() -> dict[str, Callable]:
    """Layer name -> torch function of (*inputs, *params, **config)."""
    import torch
    import torch.nn.functional as F

    return {
        "Linear": lambda x, W, b: x @ W + b,
        "ReLU": torch.relu,
        "LeakyReLU": lambda x, negative_slope: F.leaky_relu(x, negative_slope),
        "Sigmoid": torch.sigmoid,
        "Tanh": torch.tanh,
        "Softmax": lambda x: torch.softmax(x, dim=-1),
        "MSELoss": lambda x, target: F.mse_loss(x, target),
        "BCELoss": lambda x, target: F.binary_cross_entropy(x, target),
        "CrossEntropy": lambda x, target: F.cross_entropy(x, target),
        "LayerNorm": lambda x, gamma, beta, eps: F.layer_norm(x, x.shape[-1:], gamma, beta, eps),
        "BatchNorm": lambda x, gamma, beta, eps: F.batch_norm(
            x, None, None, gamma, beta, training=True, eps=eps
        ),
        "Conv1d": lambda x, W, b, stride, padding: F.conv1d(x, W, b, stride, padding),
        "Conv2d": lambda x, W, b, stride, padding: F.conv2d(x, W, b, stride, padding),
        # Padding (some variants): max pads -inf, avg counts the zeros (count_include_pad).
        "MaxPool2d": lambda x, kernel_size, stride, padding=0: F.max_pool2d(
            x, kernel_size, stride, padding),
        "AvgPool2d": lambda x, kernel_size, stride, padding=0: F.avg_pool2d(
            x, kernel_size, stride, padding, count_include_pad=True),
        # torch's own dropout draws its mask; the case's explicit mask is applied instead.
        "Dropout": lambda x, mask, p: x * mask / (1 - p),
        "Flatten": lambda x: torch.flatten(x, 1),
        **_networks(torch, F),
        **_course_layers(torch, F),
        **_sequence_layers(torch, F),
        **_attention(torch, F),
        **_conv_family(torch, F),
    }


def _networks(torch, F) -> dict[str, Callable]:
    """The small networks as loss functions of (x, target, *params)."""

    def mlp(x, W1, b1, W2, b2):
        return torch.relu(x @ W1 + b1) @ W2 + b2

    return {
        "LinearRegression": lambda x, target, W, b: F.mse_loss(x @ W + b, target),
        "RegressionMLP": lambda x, target, *params: F.mse_loss(mlp(x, *params), target),
        "XORNet": lambda x, target, *params: F.binary_cross_entropy(
            torch.sigmoid(mlp(x, *params)), target
        ),
        "TwoLayerNet": lambda x, target, W1, b1, W2, b2, reg: F.cross_entropy(
            mlp(x, W1, b1, W2, b2), target
        ) + 0.5 * reg * (torch.sum(W1**2) + torch.sum(W2**2)),
        "SigmoidNet": lambda x, target, W1, b1, W2, b2: 0.5 * torch.sum(
            (torch.sigmoid(W2 @ torch.sigmoid(W1 @ x + b1) + b2) - target) ** 2
        ),
    }


def _course_layers(torch, F) -> dict[str, Callable]:
    """The layers CS231n and CMU 11-785 assign beyond the first catalog."""

    def svm(x, target):
        rows = torch.arange(len(target))
        margins = torch.clamp(x - x[rows, target][:, None] + 1.0, min=0.0)
        others = 1.0 - F.one_hot(target, x.shape[1]).to(x.dtype)
        return torch.sum(margins * others) / len(target)

    return {
        "GELU": F.gelu,
        "SiLU": F.silu,
        "ELU": lambda x, alpha: F.elu(x, alpha),
        "Softplus": F.softplus,
        "Identity": torch.clone,
        "SVMLoss": svm,
        "SpatialBatchNorm": lambda x, gamma, beta, eps: F.batch_norm(
            x, None, None, gamma, beta, training=True, eps=eps
        ),
        "GroupNorm": lambda x, gamma, beta, G, eps: F.group_norm(x, G, gamma, beta, eps),
        "Embedding": lambda x, W: F.embedding(x, W),
    }


def _sequence_layers(torch, F) -> dict[str, Callable]:
    """Recurrent and per-time-step layers, through torch's own fused cells: weights
    transposed to its (gates·H, in) layout, CS231n's LSTM gates i, f, o, g reordered to
    torch's i, f, g, o, so a convention slip on either side shows as a disagreement."""

    def lstm_cell(x, h, c, Wx, Wh, b):
        i, f, o, g = (torch.arange(4 * h.shape[1]).reshape(4, -1))
        order = torch.cat([i, f, g, o])
        return torch.lstm_cell(x, (h, c), Wx[:, order].T, Wh[:, order].T, b[order], None)

    def rnn(x, h0, Wx, Wh, b):
        return _unrolled(x, h0, lambda xt, h: torch.rnn_tanh_cell(xt, h, Wx.T, Wh.T, b, None))

    def lstm(x, h0, Wx, Wh, b):
        state = [h0, torch.zeros_like(h0)]

        def step(xt, h):
            state[:] = lstm_cell(xt, h, state[1], Wx, Wh, b)
            return state[0]

        return _unrolled(x, h0, step)

    def _unrolled(x, h, step):
        states = []
        for t in range(x.shape[1]):
            h = step(x[:, t], h)
            states.append(h)
        return torch.stack(states, dim=1)

    def temporal_softmax_loss(x, target, mask):
        losses = F.cross_entropy(x.reshape(-1, x.shape[2]), target.reshape(-1), reduction="none")
        return torch.sum(losses * mask.reshape(-1).to(x.dtype)) / x.shape[0]

    return {
        "RNNCell": lambda x, h, Wx, Wh, b: torch.rnn_tanh_cell(x, h, Wx.T, Wh.T, b, None),
        "RNN": rnn,
        "LSTMCell": lambda x, h, c, Wx, Wh, b: torch.stack(lstm_cell(x, h, c, Wx, Wh, b)),
        "LSTM": lstm,
        "GRUCell": lambda x, h, Wx, Wh, bx, bh: torch.gru_cell(x, h, Wx.T, Wh.T, bx, bh),
        "TemporalAffine": lambda x, W, b: x @ W + b,
        "TemporalSoftmaxLoss": temporal_softmax_loss,
    }


def _attention(torch, F) -> dict[str, Callable]:
    """Attention by torch's own kernels: ``scaled_dot_product_attention`` and
    ``multi_head_attention_forward`` (sequence-first, ``W`` as (out, in), so transposed)."""

    def multi_head(query, key, value, Wq, bq, Wk, bk, Wv, bv, Wo, bo, num_heads, causal):
        s, t = query.shape[1], key.shape[1]
        mask = ~torch.tril(torch.ones(s, t, dtype=torch.bool)) if causal else None
        out, _ = F.multi_head_attention_forward(
            query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1),
            query.shape[-1], num_heads, None, torch.cat([bq, bk, bv]), None, None, False,
            0.0, Wo.T, bo, training=False, need_weights=False, attn_mask=mask,
            use_separate_proj_weight=True, q_proj_weight=Wq.T, k_proj_weight=Wk.T,
            v_proj_weight=Wv.T)
        return out.transpose(0, 1)

    return {
        "Attention": lambda q, k, v, causal: F.scaled_dot_product_attention(
            q, k, v, is_causal=causal),
        "MultiHeadAttention": multi_head,
    }


# --- convfamily: transposed convolutions, resampling, 1-D pooling ---


def _conv_family(torch, F) -> dict[str, Callable]:
    """Transposed convolutions, zero-dilation and slicing (explicit scatter/slice ops), 1-D
    pools."""

    def upsample(x, k, axes):
        for axis in range(x.ndim - axes, x.ndim):
            shape = list(x.shape)
            shape[axis] = k * (shape[axis] - 1) + 1
            x = torch.slice_scatter(x.new_zeros(shape), x, dim=axis, step=k)
        return x

    return {
        "ConvTranspose1d": lambda x, W, b, stride, padding: F.conv_transpose1d(
            x, W, b, stride, padding),
        "ConvTranspose2d": lambda x, W, b, stride, padding: F.conv_transpose2d(
            x, W, b, stride, padding),
        "MaxPool1d": lambda x, kernel_size, stride: F.max_pool1d(x, kernel_size, stride),
        "AvgPool1d": lambda x, kernel_size, stride: F.avg_pool1d(x, kernel_size, stride),
        "Upsample1d": lambda x, upsampling_factor: upsample(x, upsampling_factor, 1),
        "Upsample2d": lambda x, upsampling_factor: upsample(x, upsampling_factor, 2),
        "Downsample1d": lambda x, downsampling_factor: x[..., ::downsampling_factor],
        "Downsample2d": lambda x, downsampling_factor: x[
            ..., ::downsampling_factor, ::downsampling_factor],
    }


class TorchOracle:
    """Expected values from PyTorch autograd."""

    name = "torch"

    def __init__(self) -> None:
        self._table: dict[str, Callable] | None = None

    def unavailable(self) -> str | None:
        if importlib.util.find_spec("torch") is None:
            return "PyTorch is not installed (pip install 'backcheck[torch]')"
        return None

    def version(self) -> str:
        """``torch-2.13.0``; ``torch-unknown`` for a torch without its package metadata
        (a folder copied in, a broken install), which then says why when it is used."""
        try:
            return f"torch-{metadata.version('torch')}"
        except metadata.PackageNotFoundError:
            return "torch-unknown"

    def supports(self, spec: Spec) -> bool:
        return self._forward(spec) is not None

    def evaluate(self, spec: Spec, case: Case) -> Outcome:
        import torch

        arrays = case.arrays()
        tensors = {k: _tensor(v, requires_grad=k in spec.wrt) for k, v in arrays.items()}
        ordered = [tensors[n] for n in (*spec.inputs, *spec.params)]
        upstream = torch.as_tensor(np.asarray(case.upstream, dtype=np.float64))
        wrt = [tensors[n] for n in spec.wrt]
        with _one_thread():
            out = self._forward(spec)(*ordered, **case.config)
            grads = torch.autograd.grad(out, wrt, grad_outputs=upstream.reshape(out.shape))
        return Outcome(
            output=out.detach().numpy(),
            grads={n: g.numpy() for n, g in zip(spec.wrt, grads, strict=True)},
        )

    def _forwards(self) -> dict[str, Callable]:
        if self._table is None:
            self._table = _forwards()
        return self._table

    def _forward(self, spec: Spec) -> Callable | None:
        """The catalog's function for ``spec``, else the one its course file gives."""
        if spec.name in self._forwards():
            return self._forwards()[spec.name]
        return plugins.expression(spec.name, "TORCH")


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run torch on one intra-op thread, then restore the caller's setting.

    Case tensors are tiny, so worker threads only add hand-off cost; on a busy machine
    (parallel test runs, a shared grading server) they made evaluations ten times slower.
    """
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _tensor(array: np.ndarray, requires_grad: bool):
    import torch

    array = np.asarray(array)
    if np.issubdtype(array.dtype, np.floating):
        return torch.tensor(array, dtype=torch.float64, requires_grad=requires_grad)
    return torch.as_tensor(array)
