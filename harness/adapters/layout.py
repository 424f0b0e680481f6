"""Moving arrays between backcheck's layout and a library's, in both directions.

A ``Layout`` holds, for each named array (``x``, ``W``, ``b``, ``out``), the function
to the library's layout and the one back. Going back only reshapes or transposes an
array whose shape is exactly what the library's layout predicts; anything else is left
as it is, so the comparison reports the wrong shape instead of the adapter hiding it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

from harness.adapters import names
from harness.adapters.conventions import SPATIAL, Conventions
from harness.case import Case
from harness.spec import Spec

Move = Callable[[np.ndarray], np.ndarray]


def _same(array: np.ndarray) -> np.ndarray:
    return array


@dataclass
class Layout:
    """Per-name conversions: ``theirs(name, ours)`` and ``ours(name, theirs)``."""

    moves: dict[str, tuple[Move, Move]] = field(default_factory=dict)

    def theirs(self, name: str, array: np.ndarray) -> np.ndarray:
        return self.moves.get(name, (_same, _same))[0](array)

    def ours(self, name: str, value: Any) -> Any:
        if not isinstance(value, np.ndarray):
            return value
        return self.moves.get(name, (_same, _same))[1](value)

    def add(self, name: str, to_theirs: Move, back: Move) -> None:
        self.moves[name] = (to_theirs, back)


def channels_last(spec: Spec, case: Case, layout: Layout) -> None:
    """NCHW -> NHWC for inputs and outputs, (F, C, *K) -> (*K, C, F) for kernels."""
    if spec.name not in SPATIAL:
        return
    x = case.inputs["x"]
    layout.add("x", lambda a: np.moveaxis(a, 1, -1),
               _guarded(np.moveaxis(x, 1, -1).shape, lambda a: np.moveaxis(a, -1, 1)))
    layout.add("out", lambda a: np.moveaxis(a, 1, -1), lambda a: np.moveaxis(a, -1, 1))
    if "W" in case.params:
        spatial = case.params["W"].ndim - 2
        # a transposed convolution's W is (in, out, *K) already: (*K, in, out)
        order = (*range(2, 2 + spatial), *((0, 1) if spec.name.startswith("ConvTranspose")
                                           else (1, 0)))
        inverse = tuple(int(i) for i in np.argsort(order))
        shape = np.transpose(case.params["W"], order).shape
        layout.add("W", lambda a: np.transpose(a, order),
                   _guarded(shape, lambda a: np.transpose(a, inverse)))


def unbatched(case: Case, layout: Layout) -> None:
    """A one-sample case's inputs (a loss's target too) and output without their batch
    axis, after any other move of theirs; a case of several samples is left whole (the
    adapter's ``supports`` declares it unsupported, so it is not run)."""
    if np.shape(next(iter(case.inputs.values())))[:1] != (1,):
        return
    for name in (*case.inputs, "out"):
        to, back = layout.moves.get(name, (_same, _same))
        ndim = np.ndim(case.inputs[name]) if name in case.inputs else None
        layout.add(name, lambda a, to=to: to(a)[0],
                   lambda a, back=back, ndim=ndim: back(_batched(a, ndim)))


def _batched(array: np.ndarray, ndim: int | None) -> np.ndarray:
    """A one-sample result given its batch axis back, unless it kept it: an input's
    gradient has the input's ``ndim``; an output, one more axis than it came with
    (a scalar loss stays a scalar)."""
    lacks = array.ndim == ndim - 1 if ndim is not None else array.ndim > 0
    return array[np.newaxis] if lacks else array


def weight(layout: Layout, ours_shape: tuple[int, ...], declared: str) -> None:
    """A (in, out) weight given to a library that stores (out, in), when declared or read."""
    if declared == "out-in":
        transposed = ours_shape[::-1]
        layout.add("W", lambda a: a.T, _guarded(transposed, lambda a: a.T))


def bias(layout: Layout, name: str, size: int, kind: str) -> None:
    """A (M,) bias given as (1, M) or (M, 1), and its gradient flattened back."""
    shape = {"row": (1, size), "column": (size, 1)}.get(kind)
    if shape is not None:
        layout.add(name, lambda a: a.reshape(shape), _guarded(shape, lambda a: a.reshape(-1)))


def shaped(layout: Layout, name: str, shape: tuple[int, ...]) -> None:
    """A (C,) parameter a library keeps in a broadcasting shape of its own, such as
    (1, C, 1, 1) for a spatial batch norm's scale, and its gradient flattened back."""
    layout.add(name, lambda a: a.reshape(shape), _guarded(shape, lambda a: a.reshape(-1)))


def broadcast_shape(shape: tuple[int, ...], size: int) -> bool:
    """Whether ``shape`` holds ``size`` values along one axis and ones elsewhere, with
    more than two axes (two are ``bias_kind``'s row and column)."""
    return len(shape) > 2 and [d for d in shape if d != 1] == [size]


def bias_kind(shape: tuple[int, ...]) -> str:
    """``flat``, ``row`` or ``column`` for the shape of a library's bias."""
    if len(shape) == 2 and shape[0] == 1 and shape[1] != 1:
        return "row"
    if len(shape) == 2 and shape[1] == 1:
        return "column"
    return "flat"


def weight_kind(shape: tuple[int, ...], ours: tuple[int, ...]) -> str:
    """``out-in`` when a library's weight is the transpose of ours (and not square)."""
    if len(shape) == 2 and tuple(shape) == ours[::-1] and ours[0] != ours[1]:
        return "out-in"
    return "in-out"


def _guarded(expected: tuple[int, ...], move: Move) -> Move:
    def back(array: np.ndarray) -> np.ndarray:
        return move(array) if array.shape == tuple(expected) else array

    return back


def for_conventions(spec: Spec, case: Case, conventions: Conventions) -> Layout:
    """The layout a library's declared conventions imply for ``case``."""
    layout = Layout()
    if conventions.channels_last:
        channels_last(spec, case, layout)
    if conventions.unbatched:
        unbatched(case, layout)
    if "W" in case.params and case.params["W"].ndim == 2:
        weight(layout, case.params["W"].shape, conventions.weight)
    for name in ("b", "b1", "b2"):
        if name in case.params and conventions.bias not in ("auto", "flat"):
            bias(layout, name, case.params[name].size, conventions.bias)
    return layout


def uses_torch(obj: Any, conventions: Conventions) -> bool:
    """Whether a library's code computes on torch tensors (declared, or imports torch)."""
    if conventions.arrays != "auto":
        return conventions.arrays == "torch"
    scope = getattr(names.method(obj, "forward"), "__globals__", {})
    return any(isinstance(v, ModuleType) and v.__name__.partition(".")[0] == "torch"
               for v in scope.values())


def library_array(array: np.ndarray, torch: bool) -> Any:
    """A fresh copy of ``array`` as the library wants it (NumPy, or a torch tensor of
    the same dtype: float64 stays float64)."""
    copy = np.array(array, copy=True, order="C")
    if not torch:
        return copy
    import torch as torch_module

    return torch_module.from_numpy(copy)
