"""Mistakes in inverted dropout, ``x * mask / (1 - p)`` with a given 0/1 mask."""

from __future__ import annotations

from reference.mistakes.model import Mistake

MISTAKES = (
    Mistake(
        "Dropout", "dx", "dropout-backward-no-mask",
        "the Dropout backward forgets the mask",
        "dout / (1 - p) everywhere, dropped units included",
        "dx = dout * mask / (1 - p): the units dropped in forward get no gradient",
        lambda p: p.upstream / (1 - p.config["p"]),
    ),
    Mistake(
        "Dropout", "dx", "dropout-backward-identity",
        "the Dropout backward passes dout through unchanged",
        "dx == dout: neither the mask nor the 1 / (1 - p) scale",
        "dx = dout * mask / (1 - p)",
        lambda p: p.upstream,
    ),
    Mistake(
        "Dropout", "dx", "dropout-backward-unscaled",
        "the Dropout backward forgets the 1 / (1 - p) scale",
        "dout * mask",
        "dx = dout * mask / (1 - p), the same scale as forward",
        lambda p: p.upstream * p.inputs["mask"],
    ),
    Mistake(
        "Dropout", "out", "dropout-not-inverted",
        "the Dropout output is not scaled up (plain, not inverted, dropout)",
        "x * mask",
        "out = x * mask / (1 - p), so that the expected output is x",
        lambda p: p.x * p.inputs["mask"],
    ),
    Mistake(
        "Dropout", "out", "dropout-p-is-keep",
        "the Dropout output divides by p, as if p were the keep probability",
        "x * mask / p",
        "p is the drop probability here: out = x * mask / (1 - p)",
        lambda p: p.x * p.inputs["mask"] / p.config["p"],
    ),
)
