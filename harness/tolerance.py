"""Tolerances by dtype, as data.

An element passes when ``|actual - expected| <= atol * scale + rtol * |expected|`` with
``scale`` the largest ``|expected|`` of the array, so the absolute part follows the
array's own magnitude instead of a fixed 1e-5 that would wave through small wrong
gradients. The float32 values leave room for a correct float32 implementation that
sums in another order (measured over 200 seeds a layer in the test suite); every
mistake backcheck diagnoses is off by orders of magnitude more.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tolerance:
    """Relative and (scaled) absolute tolerance for one dtype."""

    rtol: float
    atol: float

    def __str__(self) -> str:
        return f"rtol={self.rtol:g}, atol={self.atol:g}·max|expected|"


BY_DTYPE = {
    "float64": Tolerance(rtol=1e-6, atol=1e-8),
    "float32": Tolerance(rtol=1e-3, atol=1e-4),
}

ORACLE_AGREEMENT = Tolerance(rtol=1e-6, atol=1e-7)
"""How closely two oracles, both computing in float64, must agree on one case."""


def for_dtype(dtype: str) -> Tolerance:
    """The tolerance a ``dtype`` implementation is held to."""
    return BY_DTYPE[dtype]
