"""Mistakes in the recurrent layers: RNN, LSTM and GRU steps, RNN and LSTM sequences.

Each bug is one small subclass of the reference with the one wrong line; the model of a
quantity runs it on the probe, so one bug names every quantity it changes.
"""

from __future__ import annotations

import numpy as np

from reference.mistakes.model import Mistake, Probe
from reference.recurrent import LSTM, RNN, GRUCell, LSTMCell, RNNCell


def _run(cls: type, quantity: str):
    """The model of ``quantity`` for the buggy layer ``cls``."""

    def value(p: Probe) -> np.ndarray:
        layer = cls(**p.params, **p.config)
        out = layer.forward(*p.inputs.values())
        return out if quantity == "out" else layer.backward(p.upstream)[quantity[1:]]

    return value


class _RNNCellLinearTanh(RNNCell):
    """tanh' written 1 - |h| instead of 1 - h**2."""

    def backward(self, dout):
        da = dout * (1.0 - np.abs(self.h))
        return {"x": da @ self.Wx.T, "prev_h": da @ self.Wh.T, "Wx": self.x.T @ da,
                "Wh": self.prev_h.T @ da, "b": da.sum(axis=0)}


class _RNNNoCarry(RNN):
    """Backprop through time that drops the gradient coming back from step t + 1."""

    def backward(self, dout):
        grads = {n: np.zeros_like(getattr(self, n)) for n in ("Wx", "Wh", "b")}
        dx, first = [], None
        for t in reversed(range(len(self.steps))):
            step = self.steps[t].backward(dout[:, t])
            dx.append(step["x"])
            first = step["prev_h"]
            for name in grads:
                grads[name] += step[name]
        return {"x": np.stack(dx[::-1], axis=1), "h0": first, **grads}


class _RNNFromH0(RNN):
    """Every step starts from h0 instead of the previous state."""

    def forward(self, x, h0):
        self.steps = [self.cell(self.Wx, self.Wh, self.b) for _ in range(x.shape[1])]
        return np.stack([s.forward(x[:, t], h0) for t, s in enumerate(self.steps)], axis=1)


class _LSTMCellTorchOrder(LSTMCell):
    """Gates read in PyTorch's order i, f, g, o instead of CS231n's i, f, o, g: the
    reference run on weights with the last two gate blocks swapped."""

    def __init__(self, Wx, Wh, b):
        H = Wh.shape[0]
        self.order = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]
        super().__init__(Wx[:, self.order], Wh[:, self.order], b[self.order])

    def backward(self, dout):
        grads = super().backward(dout)
        back = np.argsort(self.order)
        return {**grads, "Wx": grads["Wx"][:, back], "Wh": grads["Wh"][:, back],
                "b": grads["b"][back]}


class _LSTMCellNoTanhDerivative(LSTMCell):
    """dnext_h reaches the cell state as dh * o, without tanh'(next_c)."""

    def backward(self, dout):
        dh, dc = dout
        i, f, o, g, tc = self.i, self.f, self.o, self.g, self.tanh_c
        dc = dc + dh * o
        da = np.concatenate([dc * g * i * (1 - i), dc * self.prev_c * f * (1 - f),
                             dh * tc * o * (1 - o), dc * i * (1 - g**2)], axis=1)
        return {"x": da @ self.Wx.T, "prev_h": da @ self.Wh.T, "prev_c": dc * f,
                "Wx": self.x.T @ da, "Wh": self.prev_h.T @ da, "b": da.sum(axis=0)}


class _LSTMNoCellCarry(LSTM):
    """Backprop through time that carries dh back but drops the cell state's gradient."""

    def backward(self, dout):
        grads = {n: np.zeros_like(getattr(self, n)) for n in ("Wx", "Wh", "b")}
        dx, dh = [], np.zeros_like(dout[:, 0])
        for t in reversed(range(len(self.steps))):
            step = self.steps[t].backward(np.stack([dout[:, t] + dh, np.zeros_like(dh)]))
            dx.append(step["x"])
            dh = step["prev_h"]
            for name in grads:
                grads[name] += step[name]
        return {"x": np.stack(dx[::-1], axis=1), "h0": dh, **grads}


class _LSTMTorchOrder(LSTM):
    cell = _LSTMCellTorchOrder


class _GRUSwappedUpdate(GRUCell):
    """next_h = z·n + (1 − z)·h: the update gate weighs the other two terms."""

    def forward(self, x, prev_h):
        super().forward(x, prev_h)
        return self.z * self.n + (1 - self.z) * prev_h


class _GRUResetBeforeMatmul(GRUCell):
    """The reset gate applied to h before Wh_n (the 2014 paper's form), not after."""

    def forward(self, x, prev_h):
        super().forward(x, prev_h)
        H = prev_h.shape[1]
        xn = (x @ self.Wx + self.bx)[:, 2 * H:]
        self.n = np.tanh(xn + (self.r * prev_h) @ self.Wh[:, 2 * H:] + self.bh[2 * H:])
        return (1 - self.z) * self.n + self.z * prev_h


class _GRUNoDirectPath(GRUCell):
    def backward(self, dout):
        grads = super().backward(dout)
        return {**grads, "prev_h": grads["prev_h"] - dout * self.z}


STEP_GRADS = ("dx", "dprev_h", "dWx", "dWh", "db")
SEQUENCE_GRADS = ("dx", "dh0", "dWx", "dWh", "db")


def _each(layer: str, quantities: tuple[str, ...], cls: type, kind: str, title: str,
          found: str, fix: str) -> tuple[Mistake, ...]:
    return tuple(Mistake(layer, q, kind, title, found, fix, _run(cls, q)) for q in quantities)


MISTAKES = (
    *_each("RNNCell", STEP_GRADS, _RNNCellLinearTanh, "rnn-tanh-derivative-linear",
           "the RNN step's tanh derivative is written 1 - |h| instead of 1 - h**2",
           "dout * (1 - |next_h|) as the gradient of the pre-activation",
           "da = dnext_h * (1 - next_h**2), then dx = da @ Wx.T, dprev_h = da @ Wh.T"),
    Mistake("RNNCell", "out", "rnn-no-tanh",
            "the RNN step's forward leaves out the tanh",
            "x @ Wx + prev_h @ Wh + b, the pre-activation",
            "next_h = tanh(x @ Wx + prev_h @ Wh + b)",
            lambda p: p.x @ p.params["Wx"] + p.inputs["prev_h"] @ p.params["Wh"] + p.params["b"]),
    *_each("RNN", SEQUENCE_GRADS, _RNNNoCarry, "bptt-no-carry",
           "backprop through time forgets the gradient coming back from the next step",
           "each step's backward fed with dh[:, t] alone",
           "feed step t with dh[:, t] + dprev_h, the dprev_h that step t + 1 returned "
           "(start from zeros at the last step; dh0 is the last dprev_h)"),
    Mistake("RNN", "out", "rnn-h0-every-step",
            "every RNN step starts from h0 instead of the previous hidden state",
            "h[:, t] = tanh(x[:, t] @ Wx + h0 @ Wh + b)",
            "carry the state: h[:, t] = tanh(x[:, t] @ Wx + h[:, t - 1] @ Wh + b)",
            _run(_RNNFromH0, "out")),
    Mistake("LSTMCell", "out", "lstm-gate-order",
            "the LSTM gates are read in the order i, f, g, o (PyTorch's) instead of i, f, o, g",
            "the third block of a used as g and the fourth as o",
            "split a = x @ Wx + prev_h @ Wh + b into i, f, o, g (CS231n's order): "
            "o = sigmoid(a[:, 2H:3H]), g = tanh(a[:, 3H:])",
            _run(_LSTMCellTorchOrder, "out")),
    *_each("LSTMCell", ("dx", "dprev_h", "dprev_c", "dWx", "dWh", "db"),
           _LSTMCellNoTanhDerivative, "lstm-cell-tanh-derivative-missing",
           "the LSTM backward passes dnext_h to the cell state without tanh'(next_c)",
           "dc = dnext_c + dnext_h * o",
           "dc = dnext_c + dnext_h * o * (1 - tanh(next_c)**2)"),
    Mistake("LSTM", "out", "lstm-gate-order",
            "the LSTM gates are read in the order i, f, g, o (PyTorch's) instead of i, f, o, g",
            "the third block of a used as g and the fourth as o",
            "split a into i, f, o, g (CS231n's order): o = sigmoid(a[:, 2H:3H]), "
            "g = tanh(a[:, 3H:])",
            _run(_LSTMTorchOrder, "out")),
    *_each("LSTM", SEQUENCE_GRADS, _LSTMNoCellCarry, "bptt-no-cell-carry",
           "backprop through time drops the cell state's gradient between steps",
           "each step's backward fed with dnext_c = 0",
           "carry dprev_c too: step t gets dnext_c = the dprev_c that step t + 1 returned"),
    Mistake("GRUCell", "out", "gru-update-gate-swapped",
            "the GRU's update gate weighs the wrong terms",
            "next_h = z * n + (1 - z) * h",
            "next_h = (1 - z) * n + z * h (PyTorch's GRUCell, the catalog's convention)",
            _run(_GRUSwappedUpdate, "out")),
    Mistake("GRUCell", "out", "gru-reset-before-matmul",
            "the GRU's reset gate scales h before Wh_n instead of the product h @ Wh_n + bh_n",
            "n = tanh(x Wx_n + bx_n + (r * h) @ Wh_n + bh_n)",
            "n = tanh(x Wx_n + bx_n + r * (h @ Wh_n + bh_n)) (PyTorch's GRUCell)",
            _run(_GRUResetBeforeMatmul, "out")),
    Mistake("GRUCell", "dprev_h", "gru-no-direct-path",
            "the GRU's dprev_h misses the direct path through z * h",
            "only the gradient that flows through the gates and n",
            "add dout * z: next_h = (1 - z) * n + z * h depends on h directly",
            _run(_GRUNoDirectPath, "dprev_h")),
)
