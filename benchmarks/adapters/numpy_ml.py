# numpy-ml: its recurrent layers and its Dropout wrapper by recipe, the rest channels-last.
# Its LSTM gates u, f, o, c (update, forget, output, candidate) are CS231n's i, f, o, g, each
# an (H + D, H) matrix acting on [h, x]: Wh and Wx are the rows of one stack, by gate.
from types import SimpleNamespace

import numpy as np

from harness.adapters.api import LibraryAdapter, Recipe, builtin, fresh


def build(cls, case):  # sized as its first forward would size it
    p, (h, *c) = case.params, [fresh(v) for k, v in case.inputs.items() if k != "x"]
    layer = cls(h.shape[1])
    layer.n_in, n = len(p["Wx"]), layer.n_out
    layer._init_params()
    layer.derived_variables.update(A=[h], C=c or [0 * h])  # the previous state: last in lists
    w, b = np.vstack([p["Wh"], p["Wx"]]), np.array(p["b"], ndmin=2)
    gates = {k + g: v[:, n * i:n * i + n] for i, g in enumerate("ufoc")
             for k, v in (("W", w), ("b", b))}
    rnn = dict(Waa=w[:n], Wax=w[n:], ba=b.T, bx=0 * b.T)  # b is ba + bx: db is dba and dbx
    layer.parameters.update(gates if "Wf" in layer.parameters else rnn)
    return layer


def timed(step, a):  # its sequences are (N, D, T): the time axis last
    return np.swapaxes(step(np.swapaxes(a, 1, 2)), 1, 2) if a.ndim == 3 else step(a)


def backward(layer, dh, dc=None):  # dc in, dprev_h (or dh0) and dprev_c out: its accumulators
    layer.derived_variables["dLdC_accumulator"] = dc
    g, d, n, dx = layer.gradients, layer.derived_variables, layer.n_out, timed(layer.backward, dh)
    w = np.hstack([g["W" + k] for k in "ufoc"]) if "Wf" in g else np.vstack([g["Waa"], g["Wax"]])
    b = np.hstack([g["b" + k] for k in "ufoc"]) if "Wf" in g else (g["ba"] + g["bx"]) / 2
    return {"x": dx, "prev_h": d["dLdA_accumulator"], "h0": d["dLdA_accumulator"],
            "prev_c": d["dLdC_accumulator"], "Wh": w[:n], "Wx": w[n:], "b": b.ravel()}


# Its Dropout wraps another layer: here one that passes its input through.
IDENTITY = SimpleNamespace(trainable=True, hyperparameters={}, forward=lambda x, _: x,
                           backward=lambda dy, _: dy)
HOOKS = dict(build=build, forward=lambda layer, x, *_: timed(layer.forward, x), backward=backward)
RECIPES = {n: Recipe(n, **HOOKS) for n in ("RNNCell", "LSTMCell", "RNN", "LSTM")}
RECIPES["Dropout"] = Recipe("Dropout", lambda cls, case: cls(IDENTITY, case.config["p"]))
ADAPTER = LibraryAdapter("numpy-ml", RECIPES, base=builtin("classes:channels_last=true"))
