"""The layer catalog: every spec backcheck knows, by name, in a stable order."""

from __future__ import annotations

from collections.abc import Iterable

from harness.errors import UsageError
from harness.spec import Spec
from harness.specs import (
    activations,
    conv,
    dropout,
    flatten,
    linear,
    losses,
    networks,
    normalization,
    pooling,
)

CATALOG: dict[str, Spec] = {
    spec.name: spec
    for module in (
        linear, activations, losses, normalization, conv, pooling, dropout, flatten, networks
    )
    for spec in module.SPECS
}


def select(names: Iterable[str] | None = None) -> list[Spec]:
    """The specs named (all when ``names`` is empty), or a usage error naming the bad one."""
    names = list(names or [])
    if not names:
        return list(CATALOG.values())
    unknown = [n for n in names if n not in CATALOG]
    if unknown:
        raise UsageError(
            f"unknown layer {unknown[0]!r}",
            hint=f"valid layers: {', '.join(CATALOG)}",
        )
    return [CATALOG[n] for n in names]
