"""Specs of the recurrent layers: RNN, LSTM and GRU steps, and RNN and LSTM sequences.

Draws keep every gate's pre-activation (and the LSTM's cell state, through its tanh)
within ``SATURATION`` of 0: a saturated tanh or sigmoid has a derivative so small that
float32 cannot compute ``1 - tanh²`` to the tolerance, and the gradient reaching the
first step of a sequence would vanish, hiding a backprop-through-time bug. ``Wh`` is an
orthogonal matrix times ``RECURRENT_GAIN`` per gate block, so the gradient carried back
through a step neither grows nor shrinks by more than the tanh and gates make it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from harness.spec import Draw, Spec
from harness.specs.sampling import MAX_REDRAWS, normal

SATURATION = 2.0
"""Largest |pre-activation| drawn: tanh' >= 0.07 and sigmoid' >= 0.10 there."""
RECURRENT_GAIN = 0.9
INPUT_GAIN = 0.5


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


def _orthogonal(rng: np.random.Generator, size: int, blocks: int) -> np.ndarray:
    """``blocks`` orthogonal (size, size) matrices side by side, each times the gain."""
    return np.concatenate([np.linalg.qr(normal(rng, size, size))[0] * RECURRENT_GAIN
                           for _ in range(blocks)], axis=1)


def _rnn_step(x, h, c, p) -> tuple[list, np.ndarray, np.ndarray]:
    a = x @ p["Wx"] + h @ p["Wh"] + p["b"]
    return [a], np.tanh(a), c


def _lstm_step(x, h, c, p) -> tuple[list, np.ndarray, np.ndarray]:
    a = x @ p["Wx"] + h @ p["Wh"] + p["b"]
    i, f, o, g = np.split(a, 4, axis=1)
    c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    return [a, c], _sigmoid(o) * np.tanh(c), c


def _gru_step(x, h, c, p) -> tuple[list, np.ndarray, np.ndarray]:
    xr, xz, xn = np.split(x @ p["Wx"] + p["bx"], 3, axis=1)
    hr, hz, hn = np.split(h @ p["Wh"] + p["bh"], 3, axis=1)
    r, z = _sigmoid(xr + hr), _sigmoid(xz + hz)
    a = xn + r * hn
    return [xr + hr, xz + hz, a], (1 - z) * np.tanh(a) + z * h, c


Step = Callable[..., tuple[list, np.ndarray, np.ndarray]]


STEP_FUNCTIONS: dict[str, Step] = {"RNNCell": _rnn_step, "RNN": _rnn_step,
                                   "LSTMCell": _lstm_step, "LSTM": _lstm_step,
                                   "GRUCell": _gru_step}
"""The step each layer's draw guards, by layer name (the tests check draws with it)."""


def pre_activations(step: Step, inputs: dict, params: dict) -> np.ndarray:
    """Every value a tanh or sigmoid of the layer sees on these inputs, flattened."""
    x = inputs["x"]
    h = inputs.get("prev_h", inputs.get("h0"))
    c = inputs.get("prev_c", np.zeros_like(h))
    seen = []
    for xt in (x.transpose(1, 0, 2) if x.ndim == 3 else [x]):
        values, h, c = step(xt, h, c, params)
        seen += [v.ravel() for v in values]
    return np.concatenate(seen)


def _draw(step: Step, gates: int, inputs: tuple[str, ...], biases: tuple[str, ...]):
    """Inputs and weights redrawn until no pre-activation is beyond ``SATURATION``."""

    def draw(rng, v) -> Draw:
        n, d, h = v["N"], v["D"], v["H"]
        for _ in range(MAX_REDRAWS):
            x = normal(rng, n, v["T"], d) if "T" in v else normal(rng, n, d)
            state = {name: rng.uniform(-0.8, 0.8, size=(n, h)) for name in inputs[1:]}
            params = {"Wx": normal(rng, d, gates * h, scale=INPUT_GAIN / np.sqrt(d)),
                      "Wh": _orthogonal(rng, h, gates),
                      **{b: normal(rng, gates * h, scale=0.3) for b in biases}}
            drawn = {"x": x, **state}
            if np.abs(pre_activations(step, drawn, params)).max() <= SATURATION:
                return Draw(inputs=drawn, params=params)
        raise ValueError(f"no draw of {v} keeps its pre-activations within {SATURATION}")

    return draw


def _recurrent(name: str, gates: int, inputs: tuple[str, ...], variants: list, doc: str,
               biases: tuple[str, ...] = ("b",)) -> Spec:
    params = ("Wx", "Wh", *biases)
    return Spec(name=name, kind="layer", inputs=inputs, params=params, wrt=(*inputs, *params),
                variants=variants, draw=_draw(STEP_FUNCTIONS[name], gates, inputs, biases),
                reference=f"reference.recurrent.{name}", doc=doc)


STEPS = [{"N": 1, "D": 3, "H": 4}, {"N": 3, "D": 4, "H": 3}, {"N": 2, "D": 2, "H": 5}]
SEQUENCES = [{"N": 1, "T": 3, "D": 3, "H": 4}, {"N": 2, "T": 4, "D": 2, "H": 3},
             {"N": 3, "T": 2, "D": 4, "H": 3}]

SPECS = (
    _recurrent("RNNCell", 1, ("x", "prev_h"), STEPS,
               "next_h = tanh(x @ Wx + prev_h @ Wh + b); x (N, D), prev_h (N, H), Wx (D, H), "
               "Wh (H, H), b (H,)."),
    _recurrent("RNN", 1, ("x", "h0"), SEQUENCES,
               "the RNN step over x (N, T, D) from h0 (N, H), every state h (N, T, H) out; "
               "backprop through time."),
    _recurrent("LSTMCell", 4, ("x", "prev_h", "prev_c"),
               [*STEPS[:2], {"N": 2, "D": 2, "H": 2}],
               "one LSTM step, gates i, f, o, g (CS231n order) in Wx (D, 4H), Wh (H, 4H), "
               "b (4H,); out stacks next_h and next_c (2, N, H)."),
    _recurrent("LSTM", 4, ("x", "h0"), SEQUENCES,
               "the LSTM step over x (N, T, D) from h0 (N, H) and a zero cell state; every "
               "h (N, T, H) out."),
    _recurrent("GRUCell", 3, ("x", "prev_h"), STEPS,
               "one GRU step in torch's GRUCell convention: gates r, z, n in Wx (D, 3H), "
               "Wh (H, 3H), biases bx, bh (3H,); n = tanh(x Wx_n + bx_n + r (h Wh_n + bh_n)), "
               "next_h = (1 - z) n + z h.", biases=("bx", "bh")),
)
