"""What running an implementation (a student's, or an oracle) on one case produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class RunError:
    """Why an implementation gave no usable result for a case or a quantity.

    ``kind`` is one of ``not-implemented``, ``exception``, ``bad-return``, ``timeout``,
    ``crashed``, ``limit``; ``location`` is ``file:line`` in the submission when known.
    """

    kind: str
    message: str
    location: str = ""

    def __str__(self) -> str:
        where = f" (at {self.location})" if self.location else ""
        return f"{self.kind}: {self.message}{where}"


@dataclass(frozen=True)
class Outcome:
    """Forward output and gradients by name (``"x"``, ``"W"``...) for one case.

    ``error`` is set when the whole case failed (forward raised, layer missing);
    ``problems`` maps a gradient name to what was wrong with just that value (``None``
    returned, a list, a wrong dtype) while the other quantities are still compared.
    ``observations`` is what the contract probes saw beyond the values, under the names
    of ``harness.adapters.probes`` (arrays changed in place, gradients after a second
    forward, at exactly 0): raw arrays only, judged by ``harness.judging``; the
    comparison ignores them.
    """

    output: np.ndarray | None
    grads: dict[str, np.ndarray] = field(default_factory=dict)
    error: RunError | None = None
    problems: dict[str, RunError] = field(default_factory=dict)
    observations: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def forward_only(cls, output: Any, wrt: tuple[str, ...], error: RunError) -> Outcome:
        """The forward's output, judged on its own, while every gradient carries the
        backward's failure (an unfinished backward loses only the gradients' points)."""
        return cls(output=output, problems=dict.fromkeys(wrt, error))

    def value(self, quantity: str) -> np.ndarray | None:
        """The array for a quantity name: ``out`` or ``d<name>``."""
        if quantity == "out":
            return self.output
        return self.grads.get(quantity[1:])
