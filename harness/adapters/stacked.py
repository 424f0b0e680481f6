"""Layers with several results, which backcheck stacks into one output.

An LSTM step has two, ``next_h`` and ``next_c``: the catalog's ``out`` is them stacked
(2, N, H) and its upstream ``dout`` the pair ``(dnext_h, dnext_c)`` stacked the same way.
Classes written from scratch return such a step's results as a tuple ``(h, c)`` and take
the upstream gradients as as many arguments, ``backward(dh, dc)``: ``joined`` reads the
one, ``split`` makes the other.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from harness.adapters.calls import to_numpy
from harness.spec import Spec

RESULTS = {"LSTMCell": 2}
"""Layer name -> how many results its forward has (one unless listed)."""


def count(spec: Spec) -> int:
    """How many results ``spec``'s layer stacks into its output."""
    return RESULTS.get(spec.name, 1)


def joined(spec: Spec, out: Any) -> Any:
    """A tuple of ``count(spec)`` equally shaped arrays stacked into one; anything else
    as it is (a wrong return stays visible to the comparison)."""
    if count(spec) == 1 or not isinstance(out, tuple | list) or len(out) != count(spec):
        return out
    arrays = [to_numpy(o) for o in out]
    if not all(isinstance(a, np.ndarray) for a in arrays) or len(
            {a.shape for a in arrays}) != 1:
        return out
    return np.stack(arrays)


def split(spec: Spec, upstream: np.ndarray) -> list[np.ndarray]:
    """The upstream gradient as one array per result (the stacked one split on axis 0)."""
    return [upstream] if count(spec) == 1 else list(upstream)
