"""Dropout judged by the mask the library drew itself, however it drew it.

A case of ``Dropout`` carries its own 0/1 mask, but real code draws one: with
``np.random.rand``, ``random``, ``binomial``, ``uniform``, a ``default_rng()``, torch, a
mask shaped for broadcasting... Nothing is patched. The library's forward runs on the
case's ``x`` (drawn nonzero), and its mask is read back from its own output: the
factor ``out / x`` of each unit is 0 where it dropped the unit and its scale where it
kept it; its backward's factor is ``dx / dout``. Those per-unit factors are then moved
onto the case's mask (a unit the library kept where the case keeps one is read as is,
elsewhere the next unit it treated the way the case wants), so the comparison sees
exactly what the library does to a kept and to a dropped unit: a wrong scale, a
backward without the mask or with another mask than forward's all fail as values.

What a single case cannot show, how often units are kept, is counted over repeated
forward calls: a keep rate more than ``SIGMAS`` standard deviations from the case's is
an error that says which ``p`` convention would explain it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from harness.adapters import calls
from harness.adapters.calls import CallFailed
from harness.case import Case
from harness.outcome import Outcome, RunError

ATTEMPTS = 12
"""Forward and backward runs until the library's mask has a kept and a dropped unit
wherever the case needs one (a tiny case can draw all of one kind)."""
UNITS = 400
"""Independent units counted for the keep rate, at most ``DRAWS`` forward calls."""
DRAWS = 60
MIN_UNITS = 60
"""Fewer units than this say nothing about the keep rate."""
SIGMAS = 6.0


@dataclass(frozen=True)
class Library:
    """How to run one library's dropout on the case, in backcheck's layout.

    ``attempt()`` runs forward then backward on the case's arrays (an ``Outcome`` with
    the raw output and ``dx``); ``draw()`` runs forward only, on a private copy, and
    returns its output. Both raise ``CallFailed`` when the library raises.
    """

    who: str
    attempt: Callable[[], Outcome]
    draw: Callable[[], np.ndarray]
    keep: float
    """The keep probability the case means (1 - its ``p``)."""
    inverted: bool = True
    given: str = ""
    """How ``p`` was passed, for the message (``p=0.8 as the keep probability``)."""
    option: str = ""
    """The option that would pass ``p`` the other way (``--adapter cs231n:Dropout.p=drop``)."""


def run(library: Library, case: Case) -> Outcome:
    """The library's dropout on ``case``, moved onto the case's mask."""
    masks = _draws(library)
    outcome = library.attempt()
    wanted = case.inputs["mask"] != 0
    for _ in range(ATTEMPTS - 1):
        if outcome.error is not None or _covers(_kept(case, outcome.output), wanted):
            break
        calls.restart()
        outcome = library.attempt()
    if outcome.error is not None or not _is_array(outcome.output, case):
        return outcome
    kept = _kept(case, outcome.output)
    rate = _rate_problem(library, [*masks, kept])
    if rate is not None:
        return Outcome(None, error=rate)
    return _onto_case(library, case, outcome, kept, wanted)


def _draws(library: Library) -> list[np.ndarray]:
    """The masks of repeated forward calls (none if forward raises: the attempt says why)."""
    masks: list[np.ndarray] = []
    units = 0
    try:
        for _ in range(DRAWS):
            out = library.draw()
            if not isinstance(out, np.ndarray) or out.dtype.kind != "f":
                return masks
            masks.append(out != 0)
            units += _independent(masks[-1])
            if units >= UNITS:
                break
    except CallFailed:
        return []
    return masks


def _kept(case: Case, out: np.ndarray) -> np.ndarray:
    return np.asarray(out) != 0


def _is_array(value: object, case: Case) -> bool:
    return isinstance(value, np.ndarray) and value.shape == case.inputs["x"].shape and (
        value.dtype.kind == "f")


def _covers(kept: np.ndarray, wanted: np.ndarray) -> bool:
    """Whether the library kept a unit and dropped one wherever the case has each kind."""
    if kept.shape != wanted.shape:
        return True
    return all(bool(kept[wanted == kind].size == 0 or (kept == kind).any())
               for kind in (True, False))


def _independent(mask: np.ndarray) -> int:
    """Units a mask drew independently: a mask broadcast along an axis (the same along
    it) counts once along that axis."""
    units = mask.size
    for axis, length in enumerate(mask.shape):
        if length > 1 and np.all(mask == np.take(mask, [0], axis=axis)):
            units //= length
    return units


def _rate_problem(library: Library, masks: list[np.ndarray]) -> RunError | None:
    """An error when the library keeps units far more or less often than ``keep``."""
    distinct = list({m.tobytes() + bytes(str(m.shape), "ascii"): m for m in masks}.values())
    n = sum(_independent(m) for m in distinct)
    kept = sum(m.mean() * _independent(m) for m in distinct)
    q = library.keep
    if n < MIN_UNITS or q in (0.0, 1.0):
        return None
    spread = SIGMAS * np.sqrt(n * q * (1.0 - q)) + 1.0
    if abs(kept - n * q) <= spread:
        return None
    message = (f"{library.who} kept {kept / n:.0%} of the units over {len(distinct)} forward "
               f"calls, but {library.given} means keeping {q:.0%}")
    if library.option:
        message += f"; if its p means the other probability, declare {library.option}"
    return RunError("bad-return", message)


def _onto_case(library: Library, case: Case, outcome: Outcome, kept: np.ndarray,
               wanted: np.ndarray) -> Outcome:
    """The library's per-unit factors of forward and backward, read on the case's mask."""
    x, dout = (np.asarray(case.inputs["x"], np.float64), np.asarray(case.upstream, np.float64))
    out = np.asarray(outcome.output)
    source = _source(kept, wanted)
    unscale = 1.0 if library.inverted else 1.0 / library.keep
    factor = (out.astype(np.float64) / x).ravel()[source].reshape(x.shape)
    output = (x * factor * unscale).astype(out.dtype)
    grads = dict(outcome.grads)
    dx = grads.get("x")
    if isinstance(dx, np.ndarray) and dx.shape == x.shape and dx.dtype.kind == "f":
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(dout != 0, dx.astype(np.float64) / dout, 0.0)
        grads["x"] = (dout * slope.ravel()[source].reshape(x.shape) * unscale).astype(dx.dtype)
    return Outcome(output=output, grads=grads, problems=outcome.problems)


def _source(kept: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each unit of the case, the flat index of the library's unit to read: itself
    where the library treated it as the case does, else the next one (cyclically) the
    library treated that way; itself when the library never did."""
    have, want = kept.ravel(), wanted.ravel()
    source = np.arange(have.size)
    for kind in (True, False):
        need = np.flatnonzero((want == kind) & (have != kind))
        pool = np.flatnonzero(have == kind)
        if need.size and pool.size:
            source[need] = pool[np.arange(need.size) % pool.size]
    return source
