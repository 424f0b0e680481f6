"""What a mistake model is: one bug of one layer, as the value it produces."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Probe:
    """A case seen in float64: the forward inputs, parameters, config and upstream."""

    inputs: Mapping[str, np.ndarray]
    params: Mapping[str, np.ndarray]
    config: Mapping[str, Any]
    upstream: np.ndarray

    @classmethod
    def of(cls, case) -> Probe:
        """A float64 view of a ``harness.case.Case`` (integer targets kept as they are)."""
        return cls(_float64(case.inputs), _float64(case.params), dict(case.config),
                   np.asarray(case.upstream, dtype=np.float64))

    @property
    def x(self) -> np.ndarray:
        return self.inputs["x"]


@dataclass(frozen=True)
class Mistake:
    """One wrong implementation: which quantity it changes and how to say it.

    ``title`` names the bug, ``found`` says what the code computed and ``fix`` what it
    should compute instead; ``value(probe)`` is the mistaken quantity (float64).
    """

    layer: str
    quantity: str
    kind: str
    title: str
    found: str
    fix: str
    value: Callable[[Probe], np.ndarray]


def _float64(arrays: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: np.asarray(v, np.float64) if np.asarray(v).dtype.kind == "f" else np.asarray(v)
            for k, v in arrays.items()}
