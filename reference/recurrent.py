"""Recurrent layers: the vanilla (tanh) RNN, the LSTM and the GRU, one step and a sequence.

Weights are (in, out) as everywhere in backcheck, the gates of one step side by side in
one matrix: ``Wx`` (D, k·H), ``Wh`` (H, k·H), ``b`` (k·H,). Sequences are batch first,
``x`` (N, T, D) to ``h`` (N, T, H), as CS231n's ``rnn_forward`` / ``lstm_forward``; the
sequence layers run their step layer T times and backpropagate through time by adding,
at every step, the gradient that flows back from the next one.
"""

from __future__ import annotations

import numpy as np


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


class RNNCell:
    """One vanilla RNN step (CS231n ``rnn_step_forward``):
    ``next_h = tanh(x @ Wx + prev_h @ Wh + b)``, ``x`` (N, D), ``prev_h`` (N, H)."""

    def __init__(self, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x: np.ndarray, prev_h: np.ndarray) -> np.ndarray:
        self.x, self.prev_h = x, prev_h
        self.h = np.tanh(x @ self.Wx + prev_h @ self.Wh + self.b)
        return self.h

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        da = dout * (1.0 - self.h**2)
        return {"x": da @ self.Wx.T, "prev_h": da @ self.Wh.T, "Wx": self.x.T @ da,
                "Wh": self.prev_h.T @ da, "b": da.sum(axis=0)}


class RNN:
    """A vanilla RNN over a sequence (CS231n ``rnn_forward``): ``x`` (N, T, D) and the
    initial state ``h0`` (N, H) to every hidden state ``h`` (N, T, H)."""

    cell: type = RNNCell
    """The step it unrolls."""

    def __init__(self, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x: np.ndarray, h0: np.ndarray) -> np.ndarray:
        self.steps, h, states = [], h0, []
        for t in range(x.shape[1]):
            step = self.cell(self.Wx, self.Wh, self.b)
            h = step.forward(x[:, t], h)
            self.steps.append(step)
            states.append(h)
        return np.stack(states, axis=1)

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        grads = _zero_sums(self, ("Wx", "Wh", "b"))
        dx, carried = [], np.zeros_like(dout[:, 0])
        for t in reversed(range(len(self.steps))):
            step = self.steps[t].backward(dout[:, t] + carried)
            dx.append(step["x"])
            carried = step["prev_h"]
            for name in grads:
                grads[name] += step[name]
        return {"x": np.stack(dx[::-1], axis=1), "h0": carried, **grads}


class LSTMCell:
    """One LSTM step (CS231n ``lstm_step_forward``) with the gates in CS231n's order
    i, f, o, g: ``a = x @ Wx + prev_h @ Wh + b`` split in four (N, H) blocks,
    ``next_c = σ(f)·prev_c + σ(i)·tanh(g)``, ``next_h = σ(o)·tanh(next_c)``.

    The step has two results, so forward returns them stacked, ``out[0] = next_h`` and
    ``out[1] = next_c`` (2, N, H), and backward takes ``dout`` stacked the same way
    (``dout[0] = dnext_h``, ``dout[1] = dnext_c``).
    """

    def __init__(self, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x: np.ndarray, prev_h: np.ndarray, prev_c: np.ndarray) -> np.ndarray:
        self.x, self.prev_h, self.prev_c = x, prev_h, prev_c
        a = x @ self.Wx + prev_h @ self.Wh + self.b
        i, f, o, g = np.split(a, 4, axis=1)
        self.i, self.f, self.o, self.g = _sigmoid(i), _sigmoid(f), _sigmoid(o), np.tanh(g)
        self.c = self.f * prev_c + self.i * self.g
        self.tanh_c = np.tanh(self.c)
        return np.stack([self.o * self.tanh_c, self.c])

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        dh, dc = dout
        i, f, o, g = self.i, self.f, self.o, self.g
        dc = dc + dh * o * (1.0 - self.tanh_c**2)
        da = np.concatenate([dc * g * i * (1.0 - i), dc * self.prev_c * f * (1.0 - f),
                             dh * self.tanh_c * o * (1.0 - o), dc * i * (1.0 - g**2)], axis=1)
        return {"x": da @ self.Wx.T, "prev_h": da @ self.Wh.T, "prev_c": dc * f,
                "Wx": self.x.T @ da, "Wh": self.prev_h.T @ da, "b": da.sum(axis=0)}


class LSTM:
    """An LSTM over a sequence (CS231n ``lstm_forward``): ``x`` (N, T, D), ``h0`` (N, H)
    to every hidden state ``h`` (N, T, H). The cell state starts at zero and is not an
    output: only ``h`` is, so ``dout`` is (N, T, H) and the cell state's gradient is
    carried back through time inside backward."""

    cell: type = LSTMCell
    """The step it unrolls."""

    def __init__(self, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray):
        self.Wx, self.Wh, self.b = Wx, Wh, b

    def forward(self, x: np.ndarray, h0: np.ndarray) -> np.ndarray:
        self.steps, h, c, states = [], h0, np.zeros_like(h0), []
        for t in range(x.shape[1]):
            step = self.cell(self.Wx, self.Wh, self.b)
            h, c = step.forward(x[:, t], h, c)
            self.steps.append(step)
            states.append(h)
        return np.stack(states, axis=1)

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        grads = _zero_sums(self, ("Wx", "Wh", "b"))
        dx, dh, dc = [], np.zeros_like(dout[:, 0]), np.zeros_like(dout[:, 0])
        for t in reversed(range(len(self.steps))):
            step = self.steps[t].backward(np.stack([dout[:, t] + dh, dc]))
            dx.append(step["x"])
            dh, dc = step["prev_h"], step["prev_c"]
            for name in grads:
                grads[name] += step[name]
        return {"x": np.stack(dx[::-1], axis=1), "h0": dh, **grads}


class GRUCell:
    """One GRU step in PyTorch's ``GRUCell`` convention, gates in the order r, z, n:
    ``Wx`` (D, 3H), ``Wh`` (H, 3H) and two biases ``bx``, ``bh`` (3H,), because the reset
    gate multiplies the recurrent part *with* its bias::

        r = σ(x Wx_r + bx_r + h Wh_r + bh_r)    z = σ(x Wx_z + bx_z + h Wh_z + bh_z)
        n = tanh(x Wx_n + bx_n + r·(h Wh_n + bh_n))
        next_h = (1 − z)·n + z·h
    """

    def __init__(self, Wx: np.ndarray, Wh: np.ndarray, bx: np.ndarray, bh: np.ndarray):
        self.Wx, self.Wh, self.bx, self.bh = Wx, Wh, bx, bh

    def forward(self, x: np.ndarray, prev_h: np.ndarray) -> np.ndarray:
        self.x, self.prev_h = x, prev_h
        xr, xz, xn = np.split(x @ self.Wx + self.bx, 3, axis=1)
        hr, hz, self.hn = np.split(prev_h @ self.Wh + self.bh, 3, axis=1)
        self.r, self.z = _sigmoid(xr + hr), _sigmoid(xz + hz)
        self.n = np.tanh(xn + self.r * self.hn)
        return (1.0 - self.z) * self.n + self.z * prev_h

    def backward(self, dout: np.ndarray) -> dict[str, np.ndarray]:
        r, z, n = self.r, self.z, self.n
        dn = dout * (1.0 - z) * (1.0 - n**2)
        dr = dn * self.hn * r * (1.0 - r)
        dz = dout * (self.prev_h - n) * z * (1.0 - z)
        dgx = np.concatenate([dr, dz, dn], axis=1)
        dgh = np.concatenate([dr, dz, dn * r], axis=1)
        return {"x": dgx @ self.Wx.T, "prev_h": dgh @ self.Wh.T + dout * z,
                "Wx": self.x.T @ dgx, "Wh": self.prev_h.T @ dgh,
                "bx": dgx.sum(axis=0), "bh": dgh.sum(axis=0)}


def _zero_sums(layer, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Zero accumulators for the parameter gradients a sequence sums over its steps."""
    return {name: np.zeros_like(getattr(layer, name)) for name in names}
