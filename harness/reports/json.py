"""Results as JSON, for scripts. The schema is versioned; see ``SCHEMA_VERSION``."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

from harness.result import Check, Result

SCHEMA_VERSION = 1


def to_dict(result: Result) -> dict[str, Any]:
    """The result as plain JSON-ready data (NaN becomes ``null``)."""
    return {
        "schema": "backcheck.result",
        "schema_version": SCHEMA_VERSION,
        "target": result.target,
        "adapter": result.adapter,
        "passed": result.passed,
        "skipped_oracles": dict(result.skipped_oracles),
        "notes": list(result.notes),
        "checks": [check_dict(c) for c in result.checks],
    }


def check_dict(check: Check) -> dict[str, Any]:
    """One check as JSON-ready data."""
    data = asdict(check)
    comparison = data.pop("comparison")
    data["id"] = check.id
    if comparison is not None:
        tolerance = comparison.pop("tolerance")
        comparison["worst_index"] = list(comparison["worst_index"] or [])
        data.update({k: _finite(v) for k, v in comparison.items()})
        data["tolerance"] = tolerance
    return data


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
