"""Oracles by name: the built-ins plus any registered under ``backcheck.oracles``.

Frameworks are imported only when an oracle is first evaluated, so listing or
skipping an oracle never pays for importing PyTorch or TensorFlow.
"""

from __future__ import annotations

import functools
import importlib
from importlib.metadata import entry_points

from harness.errors import UsageError
from harness.oracles.contract import Oracle

BUILTIN = {
    "fd": "harness.oracles.fd:FiniteDifferenceOracle",
    "torch": "harness.oracles.torch:TorchOracle",
    "tensorflow": "harness.oracles.tensorflow:TensorFlowOracle",
}

__all__ = ["BUILTIN", "Oracle", "available", "load", "registered"]


def registered() -> dict[str, str]:
    """Oracle name -> ``module:Class``, built-ins first, then entry points."""
    return dict(_scan())


@functools.cache
def _scan() -> dict[str, str]:
    """Built-ins and entry points, read once: installed plugins do not change mid-run."""
    found = dict(BUILTIN)
    for ep in entry_points(group="backcheck.oracles"):
        found.setdefault(ep.name, ep.value)
    return found


def load(names: list[str] | None = None) -> list[Oracle]:
    """Instances of the named oracles (all registered ones by default)."""
    table = registered()
    names = names or list(table)
    unknown = [n for n in names if n not in table]
    if unknown:
        raise UsageError(f"unknown oracle {unknown[0]!r}", hint=f"valid: {', '.join(table)}")
    return [_instantiate(table[name]) for name in names]


def available(oracles: list[Oracle]) -> tuple[list[Oracle], dict[str, str]]:
    """Split oracles into the usable ones and ``{name: reason}`` for the others."""
    usable, skipped = [], {}
    for oracle in oracles:
        reason = oracle.unavailable()
        if reason:
            skipped[oracle.name] = reason
        else:
            usable.append(oracle)
    return usable, skipped


def _instantiate(path: str) -> Oracle:
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)()
