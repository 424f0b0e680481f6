"""Spec of the word embedding (an integer lookup; only ``W`` is differentiated)."""

from __future__ import annotations

import numpy as np

from harness.spec import Draw, Spec
from harness.specs.sampling import normal


def _draw(rng, v) -> Draw:
    """Indices of a small vocabulary, with at least one index used twice."""
    n, t, vocab = v["N"], v["T"], v["V"]
    if n * t < 2:
        raise ValueError("an embedding case needs two indices, to repeat one")
    while True:
        x = rng.integers(0, vocab, size=(n, t)).astype(np.int64)
        if len(np.unique(x)) < x.size:
            return Draw(inputs={"x": x}, params={"W": normal(rng, vocab, v["D"])})


EMBEDDING = Spec(
    name="Embedding", kind="layer", inputs=("x",), params=("W",), wrt=("W",),
    variants=[{"N": 1, "T": 3, "V": 4, "D": 2}, {"N": 2, "T": 4, "V": 5, "D": 3},
              {"N": 3, "T": 5, "V": 3, "D": 4}],
    draw=_draw, reference="reference.embedding.Embedding",
    doc="W[x]: integer x (N, T) picks rows of W (V, D) -> (N, T, D); dW scatter-adds dout, "
        "and every case repeats an index.",
)

SPECS = (EMBEDDING,)
