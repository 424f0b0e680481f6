"""A case: one concrete set of inputs on which a layer is checked.

Cases are plain data, drawn from a layer's spec by a seeded generator, so the same
(course salt, layer, variant, dtype) always gives the same arrays on any machine.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

DTYPES = ("float32", "float64")


@dataclass(frozen=True)
class Case:
    """Inputs for one check of one layer.

    ``inputs`` are what forward receives positionally, in the spec's order; those named
    in the spec's ``wrt`` are differentiated, the others (targets, masks) are constants.
    ``params`` are the layer's parameters and ``config`` its hyper-parameters (stride,
    eps, ...). ``upstream`` is the gradient fed to backward.
    """

    layer: str
    index: int
    dtype: str
    seed: int
    inputs: dict[str, np.ndarray]
    params: dict[str, np.ndarray]
    upstream: np.ndarray
    config: dict[str, Any] = field(default_factory=dict)
    label: str = ""

    @property
    def id(self) -> str:
        """A short stable name such as ``Linear-case2-float32``."""
        return Case.identify(self.layer, self.index, self.dtype)

    @staticmethod
    def identify(layer: str, index: int, *qualifiers: str) -> str:
        """The one spelling of a case's name, with what is checked on it appended:
        ``identify("Linear", 2, "dW", "torch")`` is ``Linear-case2-dW-torch`` (empty
        qualifiers are left out). Every report and the pytest plugin name cases so."""
        return "-".join((layer, f"case{index}", *(q for q in qualifiers if q)))

    def arrays(self) -> dict[str, np.ndarray]:
        """Inputs and parameters in one mapping, by name."""
        return {**self.inputs, **self.params}

    def shapes(self) -> str:
        """The case's shapes and config as a short human-readable string."""
        return self._shapes

    @cached_property
    def _shapes(self) -> str:
        """Built once: every check of the case (a dozen or more) carries it."""
        parts = [f"{k}{tuple(v.shape)}" for k, v in self.arrays().items()]
        parts += [f"{k}={v}" for k, v in self.config.items()]
        return ", ".join(parts)


def case_seed(salt: str, layer: str, index: int, dtype: str) -> int:
    """A 63-bit seed that depends only on its arguments (not on Python's hash seed)."""
    digest = hashlib.blake2b(f"{salt}|{layer}|{index}|{dtype}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "little") >> 1
