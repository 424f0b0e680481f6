"""Outcomes as frame headers plus arrays, and back, checked against the layer's spec.

The child packs whatever the code under test returned (arrays, NumPy scalars, ``None``,
numbers, lists, odd objects) into JSON with array references; the parent unpacks it
into values that ``harness.comparison.compare`` judges exactly as it would have judged
the originals in-process. An object that cannot travel arrives as a stand-in of the
same type name, so "returned a list, not a NumPy array" still reads the same.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np

from harness import autodiff
from harness.adapters import probes
from harness.outcome import Outcome, RunError
from harness.sandbox.wire import MAX_ARRAYS, NUMERIC_KINDS, WireError
from harness.spec import Spec

ERROR_KINDS = ("not-implemented", "exception", "bad-return", "load", "timeout", "crashed",
               "limit")
"""Kinds a child may report. ``unsupported`` is not one: only the parent decides that a
case is not charged (``harness.selection.split``), so a forged frame cannot claim it."""
MAX_TEXT = 2000
MAX_DEPTH = 12
MAX_ITEMS = 20_000
MAX_NODES = 2 * MAX_ITEMS
"""Values one outcome may unpack to: ``pack`` makes at most ``MAX_ITEMS`` items in all
containers plus a few top-level values, so a frame over this was forged."""
_DTYPE_NAME = re.compile(r"^[<>|=]?[a-zA-Z]{1,12}[0-9]{0,3}$")
_OUTCOME_FIELDS = {f.name for f in dataclasses.fields(Outcome)}


def pack_outcome(case_id: str, outcome: Outcome) -> tuple[dict[str, Any], list[np.ndarray]]:
    """The frame header and arrays for one case's outcome (child side)."""
    arrays: list[np.ndarray] = []
    budget = [MAX_ITEMS]
    header = {
        "type": "outcome",
        "case": case_id,
        "output": pack(outcome.output, arrays, budget),
        "grads": {str(k): pack(v, arrays, budget) for k, v in outcome.grads.items()},
        "error": pack_error(outcome.error),
        "problems": {str(k): pack_error(e) for k, e in outcome.problems.items()},
        "observations": pack(getattr(outcome, "observations", {}), arrays, budget),
    }
    return header, arrays


def pack_error(error: RunError | None) -> dict[str, str] | None:
    """A ``RunError`` as plain strings."""
    if error is None:
        return None
    return {"kind": str(error.kind), "message": str(error.message)[:MAX_TEXT],
            "location": str(error.location)[:MAX_TEXT]}


def pack(value: Any, arrays: list[np.ndarray], budget: list[int], depth: int = 0) -> Any:
    """``value`` as JSON, arrays replaced by references into ``arrays``; a container
    is opaque once its items would take more than what is left of ``budget``."""
    if isinstance(value, np.ndarray | np.generic):
        return _pack_numpy(value, arrays)
    if type(value) in (type(None), bool, int, float):
        return value
    if type(value) is str:
        return value[:MAX_TEXT]
    if depth >= MAX_DEPTH or _size(value) > budget[0]:
        return _opaque(value)
    budget[0] -= _size(value)
    if type(value) in (list, tuple):
        items = [pack(v, arrays, budget, depth + 1) for v in value]
        return {"$l" if type(value) is list else "$t": items}
    if type(value) is dict and all(isinstance(k, str) for k in value):
        return {"$d": {k[:MAX_TEXT]: pack(v, arrays, budget, depth + 1)
                       for k, v in value.items()}}
    return _opaque(value)


def _size(value: Any) -> int:
    """How many items a container would add to the frame (0 for anything else)."""
    return len(value) if type(value) in (list, tuple, dict) else 0


def _pack_numpy(value: np.ndarray | np.generic, arrays: list[np.ndarray]) -> Any:
    if len(arrays) >= MAX_ARRAYS:
        return _opaque(value)
    if value.dtype.kind not in NUMERIC_KINDS or value.dtype.fields is not None:
        return {"$dtype": str(value.dtype)} if isinstance(value, np.ndarray) else _opaque(value)
    arrays.append(np.asarray(value))
    return {"$a" if isinstance(value, np.ndarray) else "$s": len(arrays) - 1}


def _opaque(value: Any) -> dict[str, str]:
    return {"$o": type(value).__name__}


def unpack_outcome(header: dict[str, Any], arrays: list[np.ndarray], spec: Spec) -> Outcome:
    """The ``Outcome`` a child reported for a case of ``spec`` (parent side)."""
    grads = header.get("grads")
    problems = header.get("problems")
    if not isinstance(grads, dict) or not isinstance(problems, dict):
        raise WireError("outcome without grads and problems")
    if len(grads) > len(spec.wrt) or len(problems) > len(spec.wrt):
        raise WireError("outcome with more gradients than the layer has")
    budget = [MAX_NODES]
    fields: dict[str, Any] = {
        "output": unpack(header.get("output"), arrays, budget=budget),
        "grads": {k: unpack(v, arrays, budget=budget) for k, v in grads.items()
                  if k in spec.wrt},
        "error": unpack_error(header.get("error")),
        "problems": {k: unpack_error(e) for k, e in problems.items()
                     if k in spec.wrt and e is not None},
    }
    raw = unpack(header.get("observations"), arrays, budget=budget)
    observations = probes.well_formed(raw)
    if isinstance(raw, dict) and autodiff.COUNTS in raw:
        observations[autodiff.COUNTS] = raw[autodiff.COUNTS]
    if "observations" in _OUTCOME_FIELDS:
        fields["observations"] = observations
    return Outcome(**fields)


def unpack_error(node: Any) -> RunError | None:
    """A ``RunError`` from its packed form; unknown kinds become ``exception``."""
    if node is None:
        return None
    if not isinstance(node, dict):
        raise WireError("error is not an object")
    kind = node.get("kind")
    return RunError(kind if kind in ERROR_KINDS else "exception",
                    _text(node.get("message")), _text(node.get("location")))


def _text(value: Any) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def unpack(node: Any, arrays: list[np.ndarray], depth: int = 0,
           budget: list[int] | None = None) -> Any:
    """The value ``pack`` encoded as ``node``; ``WireError`` past ``MAX_DEPTH`` levels or
    ``MAX_NODES`` values in all (``budget``), more than ``pack`` ever makes."""
    budget = [MAX_NODES] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise WireError(f"outcome of more than {MAX_NODES} values")
    if node is None or type(node) in (bool, int, float):
        return node
    if isinstance(node, str):
        return node[:MAX_TEXT]
    if depth > MAX_DEPTH or not isinstance(node, dict) or len(node) != 1:
        raise WireError("malformed value in outcome")
    (tag, body), = node.items()
    if tag in ("$a", "$s"):
        return _array(body, arrays, scalar=tag == "$s")
    if tag == "$l" and isinstance(body, list):
        return [unpack(v, arrays, depth + 1, budget) for v in body]
    if tag == "$t" and isinstance(body, list):
        return tuple(unpack(v, arrays, depth + 1, budget) for v in body)
    if tag == "$d" and isinstance(body, dict):
        return {k[:MAX_TEXT]: unpack(v, arrays, depth + 1, budget) for k, v in body.items()}
    if tag == "$dtype" and isinstance(body, str):
        return np.empty(0, dtype=_dtype(body))
    if tag == "$o" and isinstance(body, str):
        return standin(body)
    raise WireError(f"unknown value tag {tag!r} in outcome")


def _array(index: Any, arrays: list[np.ndarray], scalar: bool) -> Any:
    if type(index) is not int or not 0 <= index < len(arrays):
        raise WireError("array reference out of range")
    array = arrays[index]
    if scalar:
        if array.ndim:
            raise WireError("scalar reference to an array with dimensions")
        return array[()]
    return array


def _dtype(name: str) -> np.dtype:
    """A dtype from its name, or ``object`` when the name is anything unusual."""
    if _DTYPE_NAME.match(name):
        try:
            dtype = np.dtype(name)
        except TypeError:
            return np.dtype(object)
        if dtype.fields is None and dtype.kind not in NUMERIC_KINDS:
            return dtype
    return np.dtype(object)


def standin(type_name: str) -> object:
    """An instance of an empty class named ``type_name`` (what compare reports)."""
    name = type_name if type_name.isidentifier() and len(type_name) <= 60 else "object"
    return type(name, (), {"__repr__": lambda self: f"<{name}>"})()
