"""The layer catalog: every spec backcheck knows, by name, in a stable order.

The built-in modules come first, then course layers: modules named in the
``backcheck.specs`` entry-point group (read once, here) and files given with
``--spec-file`` (added when the option is read; see ``plugins``).
"""

from __future__ import annotations

from collections.abc import Iterable

from harness.errors import UsageError
from harness.spec import Spec
from harness.specs import (
    activations,
    attention,
    conv,
    dropout,
    embedding,
    flatten,
    linear,
    losses,
    networks,
    normalization,
    plugins,
    pooling,
    recurrent,
    resampling,
    temporal,
)

CATALOG: dict[str, Spec] = {
    spec.name: spec
    for module in (
        linear, activations, losses, normalization, conv, pooling, resampling, dropout, flatten,
        embedding, recurrent, temporal, attention, networks
    )
    for spec in module.SPECS
}


def _course_layers() -> UsageError | None:
    """Add the entry points' specs; a broken course package is reported by ``select``."""
    try:
        plugins.load_entry_points(CATALOG)
    except UsageError as exc:
        return exc
    return None


_BROKEN = _course_layers()


def select(names: Iterable[str] | None = None) -> list[Spec]:
    """The specs named (all when ``names`` is empty), or a usage error naming the bad one."""
    if _BROKEN is not None:
        raise _BROKEN
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
