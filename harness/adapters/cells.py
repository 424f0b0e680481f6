"""Recurrent cells written as torch writes them, driven in backcheck's conventions.

A library's RNN or GRU cell often keeps, in torch's layout, what backcheck keeps as one
array: ``W_ih`` (H, D) for ``Wx`` (D, H), one (H, D) matrix per gate (``Wrx``, ``Wzx``,
``Wnx``) for GRU's ``Wx`` (D, 3H), two biases ``b_ih`` and ``b_hh`` for the RNN step's one
``b``. A ``Split`` stores a catalog parameter into those pieces (each transposed when the
library keeps it so) and reads its gradient back from the pieces' gradients. Its
backward may also ask again for what forward saw (``backward(delta, h, h_prev_l,
h_prev_t)`` in CMU 11-785's handout); ``recalled`` names those arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.adapters import names


@dataclass(frozen=True)
class Pieces:
    """One way a library spells a catalog parameter: ``parts`` hold consecutive equal
    slices of its last axis (the gates, in the catalog's order); ``zeroed`` hold a
    second bias the catalog folds into this one, set to 0 so the sum is ours."""

    parts: tuple[str, ...]
    zeroed: tuple[str, ...] = ()


PIECES: dict[str, dict[str, tuple[Pieces, ...]]] = {
    "RNNCell": {
        "Wx": (Pieces(("W_ih",)), Pieces(("weight_ih",))),
        "Wh": (Pieces(("W_hh",)), Pieces(("weight_hh",))),
        "b": (Pieces(("b_ih",), ("b_hh",)), Pieces(("bias_ih",), ("bias_hh",))),
    },
    "GRUCell": {
        "Wx": (Pieces(("Wrx", "Wzx", "Wnx")), Pieces(("W_ir", "W_iz", "W_in")),
               Pieces(("W_ih",)), Pieces(("weight_ih",))),
        "Wh": (Pieces(("Wrh", "Wzh", "Wnh")), Pieces(("W_hr", "W_hz", "W_hn")),
               Pieces(("W_hh",)), Pieces(("weight_hh",))),
        "bx": (Pieces(("brx", "bzx", "bnx")), Pieces(("bir", "biz", "bin")),
               Pieces(("b_ir", "b_iz", "b_in"))),
        "bh": (Pieces(("brh", "bzh", "bnh")), Pieces(("bhr", "bhz", "bhn")),
               Pieces(("b_hr", "b_hz", "b_hn"))),
    },
}
"""Per catalog cell and parameter, the piece spellings looked for (the whole-array
spellings of ``names.PARAMS`` are tried after these)."""

RECALLED: dict[str, str] = {
    "h": "out", "h_t": "out", "h_prime": "out", "h_next": "out", "next_h": "out",
    "h_prev_l": "x", "x": "x", "x_t": "x",
    "h_prev_t": "prev_h", "h_prev": "prev_h", "prev_h": "prev_h",
}
"""Arguments a cell's backward takes after the upstream gradient, and what they are:
the forward's output or one of its inputs (``backward(delta, h, h_prev_l, h_prev_t)``)."""


@dataclass
class Split:
    """A catalog parameter stored in a library's pieces, installed and read back."""

    obj: Any
    pieces: Pieces
    transposed: bool

    @property
    def label(self) -> str:
        return "+".join(self.pieces.parts)

    def install(self, ours: np.ndarray, convert: Callable[[np.ndarray], Any]) -> None:
        """Put ``ours`` into the pieces (``convert`` makes each the library's array)."""
        for attr, part in zip(self.pieces.parts, self._slices(ours), strict=True):
            setattr(self.obj, attr, convert(part.T if self.transposed else part))
        for attr in self.pieces.zeroed:
            setattr(self.obj, attr, convert(np.zeros_like(getattr(self.obj, attr))))

    def value(self) -> np.ndarray:
        """The library's current value of the whole parameter, in the catalog's layout."""
        return self._join([getattr(self.obj, a) for a in self.pieces.parts])

    def gradient(self, read: Callable[[Any, list[str]], Any]) -> Any:
        """The whole gradient from the pieces' (``read(obj, spellings)``), or ``None``
        when a piece has none."""
        grads = [read(self.obj, names.grad_names([a])) for a in self.pieces.parts]
        if any(g is None for g in grads):
            return None
        return self._join(grads)

    def zero(self, read: Callable[[Any, list[str]], Any]) -> None:
        """Set the pieces' gradients to 0 in place (a cell that accumulates them)."""
        for attr in self.pieces.parts:
            grad = read(self.obj, names.grad_names([attr]))
            if isinstance(grad, np.ndarray):
                grad[...] = 0

    def _slices(self, ours: np.ndarray) -> list[np.ndarray]:
        return np.split(ours, len(self.pieces.parts), axis=-1)

    def _join(self, parts: list[Any]) -> Any:
        arrays = [np.asarray(p) for p in parts]
        if self.transposed:
            arrays = [a.T for a in arrays]
        shapes = {a.shape[:-1] for a in arrays}
        return np.concatenate(arrays, axis=-1) if len(shapes) == 1 else arrays[0]


def find(obj: Any, layer: str, param: str, params: dict[str, np.ndarray]) -> Split | None:
    """The pieces of ``obj`` that hold catalog ``param`` of ``layer``, or ``None``.

    Whether the library transposes is read from the input weight's pieces, whose shape
    (H, D) or (D, H) shows it (the catalog's cells never have D == H), and applied to
    every parameter: a square recurrent weight cannot show it, and a library that keeps
    ``W_ih`` as torch does keeps ``W_hh`` so too."""
    pieces = next((p for p in PIECES.get(layer, {}).get(param, ())
                   if all(names.has_array(obj, a) for a in (*p.parts, *p.zeroed))), None)
    if pieces is None:
        return None
    return Split(obj, pieces, _transposed(obj, layer, params))


def _transposed(obj: Any, layer: str, params: dict[str, np.ndarray]) -> bool:
    Wx = params.get("Wx")
    for pieces in PIECES.get(layer, {}).get("Wx", ()):
        if Wx is not None and all(names.has_array(obj, a) for a in pieces.parts):
            part = np.split(Wx, len(pieces.parts), axis=-1)[0]
            return np.shape(getattr(obj, pieces.parts[0])) == part.T.shape != part.shape
    return False


SIZES = ("in", "features")
"""Constructor roles a cell's weights answer: ``input_size`` and ``hidden_size``. Not
``out`` (numpy-ml's ``RNNCell(n_out)``): such a cell keeps its own hidden state and
takes no ``prev_h``, so sizing it would only run a forward that cannot be given the
case."""


def size(role: str, params: dict[str, np.ndarray]) -> int:
    """A cell's input size (``Wx`` has D rows) or hidden size (``Wh`` has H rows)."""
    return int(params["Wx"].shape[0] if role == "in" else params["Wh"].shape[0])


def recalled(arguments: list[str], saw: dict[str, Any]) -> list[Any] | None:
    """What to pass for a backward's arguments after the upstream gradient, from what
    the forward ``saw`` (``out`` and its inputs), or ``None`` if one is not known."""
    if not arguments or any(RECALLED.get(a) not in saw for a in arguments):
        return None
    return [saw[RECALLED[a]] for a in arguments]
