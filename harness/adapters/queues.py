"""Layers that queue what each forward caches, flushed before each measured forward.

numpy-ml's layers append every forward's input to a list (``self.X.append(X)``, and
``self.derived_variables["Z"].append(Z)``) and pair ``backward``'s list of upstream
gradients with that queue in order; ``flush_gradients()`` (called by their ``update``)
empties the queues and zeroes the gradients. Two forwards and one backward there mean
the gradient at the first input, by design, not a stale cache. The reader starts each
forward from a flushed layer, with the library's own method, as their training loop
does after each update.
"""

from __future__ import annotations

import functools
from typing import Any

from harness.adapters import names

FLUSHERS = ("flush_gradients",)
"""A layer's own method that empties its per-forward queues and zeroes its gradients."""


def fresh(obj: Any, forward: Any) -> Any:
    """``forward``, calling the object's flusher first when it has one."""
    flusher = names.first_callable(obj, FLUSHERS)
    if flusher is None or not callable(forward):
        return forward

    @functools.wraps(forward)
    def flushed(*args: Any, **kwargs: Any) -> Any:
        flusher()
        return forward(*args, **kwargs)

    return flushed
