"""The contract for one layer of the catalog: its names, shapes and how to draw cases.

A spec is the single place that says what "Linear" means to backcheck: the order of
its forward inputs, which of them are differentiated, its parameters, its
hyper-parameters and the variants (shapes, strides) it is checked on. Oracles and
adapters look layers up by ``Spec.name``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from harness.case import Case, case_seed

Kind = Literal["layer", "loss", "network"]


@dataclass(frozen=True)
class Draw:
    """What a spec's ``draw`` function returns for one variant."""

    inputs: dict[str, np.ndarray]
    params: dict[str, np.ndarray]
    config: dict[str, Any] = field(default_factory=dict)


DrawFn = Callable[[np.random.Generator, Mapping[str, Any]], Draw]


@dataclass(frozen=True)
class Spec:
    """One layer: forward inputs (in order), differentiated names, and case variants.

    ``draw(rng, variant)`` returns float64 arrays drawn *away from kinks and ties*
    for that variant; the case is then cast to the requested dtype.
    ``reference`` is the dotted path of the reference class, imported lazily: the grader
    uses it to draw cases and expectations, while the sandboxed child, which receives
    cases already drawn, never imports it.
    """

    name: str
    kind: Kind
    inputs: tuple[str, ...]
    params: tuple[str, ...]
    wrt: tuple[str, ...]
    variants: Sequence[Mapping[str, Any]]
    draw: DrawFn
    reference: str
    doc: str = ""

    @property
    def quantities(self) -> tuple[str, ...]:
        """What is checked: ``out`` for forward, then ``d<name>`` for each gradient."""
        return ("out", *(f"d{name}" for name in self.wrt))

    def cases(self, dtype: str, salt: str = "") -> list[Case]:
        """Every variant of this layer as a seeded case in ``dtype``."""
        return [self.case(index, dtype, salt) for index in range(len(self.variants))]

    def case(self, index: int, dtype: str, salt: str = "") -> Case:
        """Variant ``index`` drawn with its own seed and cast to ``dtype``."""
        seed = case_seed(salt, self.name, index, dtype)
        rng = np.random.default_rng(seed)
        variant = self.variants[index]
        drawn = self.draw(rng, variant)
        cast = {k: _cast(v, dtype) for k, v in drawn.inputs.items()}
        params = {k: _cast(v, dtype) for k, v in drawn.params.items()}
        upstream = self._upstream(rng, cast, params, drawn.config, dtype)
        label = ", ".join(f"{k}={v}" for k, v in variant.items())
        return Case(self.name, index, dtype, seed, cast, params, upstream, drawn.config, label)

    def _upstream(self, rng, inputs, params, config, dtype) -> np.ndarray:
        """A Gaussian upstream gradient shaped like the output (1.0 for a scalar loss)."""
        if self.kind != "layer":
            return np.array(1.0, dtype=dtype)
        out = self.reference_class()(**params, **config).forward(
            *[inputs[name] for name in self.inputs]
        )
        return rng.standard_normal(np.shape(out)).astype(dtype)

    def reference_class(self) -> type:
        """The reference implementation's class for this layer."""
        module, _, attr = self.reference.rpartition(".")
        return getattr(__import__(module, fromlist=[attr]), attr)


def _cast(array: np.ndarray, dtype: str) -> np.ndarray:
    """Floating arrays to ``dtype``; integer arrays (class targets) unchanged."""
    array = np.asarray(array)
    if np.issubdtype(array.dtype, np.floating):
        return np.ascontiguousarray(array, dtype=dtype)
    return np.ascontiguousarray(array)
