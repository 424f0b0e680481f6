"""Known wrong implementations of the catalog's layers, one module per layer family.

Each ``Mistake`` computes, from a case, what a layer with exactly one well-known bug
returns for one quantity: "Softmax's backward without the Jacobian's cross term",
"cross-entropy's gradient without the -1 at the target". The diagnosis evaluates the
models of a failing quantity and names the one the student's array fits (far better
than the expected value), with the fix in plain words. Like the reference, these run
only in the grader, never in a sandboxed child.
"""

from __future__ import annotations

from reference.mistakes import (
    activations,
    attention,
    conv,
    dropout,
    embedding,
    linear,
    losses,
    networks,
    normalization,
    pooling,
    recurrent,
    temporal,
)
from reference.mistakes.model import Mistake, Probe

FAMILIES = (activations, losses, normalization, linear, conv, pooling, dropout, recurrent,
            temporal, attention, embedding, networks)

MISTAKES: dict[str, tuple[Mistake, ...]] = {}
for _family in FAMILIES:
    for _mistake in _family.MISTAKES:
        MISTAKES[_mistake.layer] = (*MISTAKES.get(_mistake.layer, ()), _mistake)


def of(layer: str, quantity: str) -> tuple[Mistake, ...]:
    """The models of ``layer`` that concern ``quantity`` (``out``, ``dx``, ``dW``...)."""
    return tuple(m for m in MISTAKES.get(layer, ()) if m.quantity == quantity)


__all__ = ["MISTAKES", "Mistake", "Probe", "of"]
