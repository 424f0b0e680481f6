"""Checking a fixture submission with the finite-difference oracle, and reading verdicts.

Imported by basename (``from adapter_checks import run_check``): pytest puts this folder
on ``sys.path`` for its conftest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from harness import engine, specs
from harness.result import Result
from harness.target import Target

SUBMISSIONS = Path(__file__).resolve().parents[1] / "fixtures" / "submissions"


def run_check(path: Path | str, layers: Sequence[str], adapter: str | None = None,
              adapter_file: Path | None = None,
              dtypes: Sequence[str] = ("float32", "float64")) -> Result:
    """``backcheck check path --oracles fd --layers ...`` in this process."""
    target = Target(str(path), adapter, str(adapter_file) if adapter_file else None)
    return engine.check(target, specs.select(layers), list(dtypes), ["fd"])


def verdicts(result: Result) -> dict[str, set[str]]:
    """``"Linear.dW"`` -> the set of verdicts over every case and dtype."""
    found: dict[str, set[str]] = defaultdict(set)
    for check in result.checks:
        found[f"{check.layer}.{check.quantity}"].add(check.verdict)
    return dict(found)


def messages(result: Result, layer: str) -> list[str]:
    """Every distinct failure message of one layer."""
    return list(dict.fromkeys(c.message for c in result.checks
                              if c.layer == layer and c.message))
