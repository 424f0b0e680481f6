"""Mistakes in the fully connected layer, ``out = x @ W + b`` with W (in, out)."""

from __future__ import annotations

from reference.mistakes.model import Mistake

MISTAKES = (
    Mistake(
        "Linear", "out", "linear-no-bias",
        "the Linear output leaves out the bias",
        "x @ W alone",
        "out = x @ W + b",
        lambda p: p.x @ p.params["W"],
    ),
    Mistake(
        "Linear", "out", "linear-bias-subtracted",
        "the Linear output subtracts the bias",
        "x @ W - b",
        "out = x @ W + b",
        lambda p: p.x @ p.params["W"] - p.params["b"],
    ),
    Mistake(
        "Linear", "out", "linear-forward-transposed-W",
        "the Linear output multiplies by W's transpose",
        "x @ W.T + b (W is stored (in, out) here)",
        "out = x @ W + b with W of shape (in, out)",
        lambda p: p.x @ p.params["W"].T + p.params["b"],
    ),
    Mistake(
        "Linear", "dx", "linear-dx-untransposed-W",
        "the Linear dx multiplies by W instead of W's transpose",
        "dout @ W",
        "dx = dout @ W.T",
        lambda p: p.upstream @ p.params["W"],
    ),
)
