"""Shared by the oracle tests: the catalog's cases, cached oracles, running a layer.

TensorFlow alone takes about 5 s to import, and the fd oracle differentiates every
element, so one :class:`Expected` per session creates each oracle once and computes
each outcome once. Asking for a framework that is not installed skips the test.
"""

from __future__ import annotations

import numpy as np
import pytest

from harness.case import DTYPES, Case
from harness.comparison import compare
from harness.oracles.fd import FiniteDifferenceOracle
from harness.outcome import Outcome
from harness.spec import Spec
from harness.specs import CATALOG
from harness.tolerance import Tolerance

ORACLES = ("fd", "torch", "tensorflow")

CASES = [
    pytest.param(spec, index, dtype, id=f"{spec.name}-case{index}-{dtype}")
    for spec in CATALOG.values()
    for dtype in DTYPES
    for index in range(len(spec.variants))
]
"""Every case of the catalog in both dtypes, as ``(spec, index, dtype)`` parameters."""


def make_oracle(name: str):
    """A fresh oracle by name; skips the calling test if its framework is missing."""
    if name == "fd":
        return FiniteDifferenceOracle()
    if name == "torch":
        pytest.importorskip("torch")
        from harness.oracles.torch import TorchOracle

        return TorchOracle()
    pytest.importorskip("tensorflow")
    from harness.oracles.tensorflow import TensorFlowOracle

    return TensorFlowOracle()


class Expected:
    """Outcomes of the named oracles, computed on first request and then reused."""

    def __init__(self) -> None:
        self._oracles: dict[str, object] = {}
        self._outcomes: dict[tuple[str, str, int], Outcome] = {}

    def oracle(self, name: str):
        """The oracle called ``name``, created once."""
        if name not in self._oracles:
            self._oracles[name] = make_oracle(name)
        return self._oracles[name]

    def __call__(self, name: str, spec: Spec, case: Case) -> Outcome:
        key = (name, case.id, case.seed)
        if key not in self._outcomes:
            self._outcomes[key] = self.oracle(name).evaluate(spec, case)
        return self._outcomes[key]


def run(layer_class: type, spec: Spec, case: Case) -> Outcome:
    """A layer class's forward output and gradients on private copies of ``case``."""
    layer = layer_class(**{k: v.copy() for k, v in case.params.items()}, **case.config)
    out = layer.forward(*[case.inputs[name].copy() for name in spec.inputs])
    return Outcome(np.asarray(out), layer.backward(case.upstream.copy()))


def mismatches(actual: Outcome, expected: Outcome, quantities, tolerance: Tolerance
               ) -> list[str]:
    """``"<quantity>: <description>"`` for every quantity that fails ``tolerance``."""
    found = []
    for quantity in quantities:
        result = compare(actual.value(quantity), expected.value(quantity), tolerance)
        if not result.passed:
            found.append(f"{quantity}: {result.describe()}")
    return found
