"""The contract probes: what one forward and backward cannot show, observed for every
adapter.

Three mistakes pass every comparison of values yet break a layer inside a network, or
deserve a word: an input or the upstream gradient changed in place (the caller still
needs it), a stale cache (forward keeps the first inputs it ever saw), and the slope of
a kinked activation at exactly 0 (advice only: any value in [0, 1] is a subgradient).

``observe`` runs an adapter's runner on a case inside a ``calls.Recording`` (so the
arrays every adapter hands out through ``calls.fresh`` and ``calls.watch`` are watched)
and, when that run worked, again on the probe inputs drawn here. It attaches only raw
observations to the outcome, under the names below: arrays as the code under test left
them, and gradients. Whether they show a broken contract is decided in the parent
(``harness.judging``, with the names of ``harness.diagnosis``), which recomputes
everything from the case it drew; an adapter's own ``observations`` are dropped, so
nothing the code under test concludes is trusted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from harness.adapters import calls
from harness.adapters.contract import Runner
from harness.adapters.conventions import CLASS_TARGETS
from harness.case import Case
from harness.outcome import Outcome
from harness.spec import Spec

CHANGED_BY_FORWARD = "changed_by_forward"
"""Inputs (or ``dout``) changed in place before the last call: ``{name: array as left}``."""
CHANGED_BY_BACKWARD = "changed_by_backward"
"""Inputs (or ``dout``) first seen changed after the last call (the backward)."""
SECOND_FORWARD = "second_forward"
"""Gradients after forward on the decoy inputs, then on the case's, then backward."""
FIRST_ONLY = "first_only"
"""Gradients after forward and backward on the decoy inputs alone."""
AT_ZERO = "at_zero"
"""Gradients of a kinked activation with every other input exactly 0."""
ONEHOT = "onehot"
"""A class-target loss's output (``out``) and gradients given one-hot (N, C) targets in
place of the case's labels: whether an undeclared one-hot convention explains a failure."""
OBSERVATIONS = (CHANGED_BY_FORWARD, CHANGED_BY_BACKWARD, SECOND_FORWARD, FIRST_ONLY, AT_ZERO,
                ONEHOT)
"""Every observation name; the only ones that cross the sandbox wire."""
UPSTREAM = calls.UPSTREAM

KINKED = ("ReLU", "LeakyReLU")
"""Layers whose derivative at exactly 0 is probed."""


def decoy_inputs(case: Case) -> dict[str, np.ndarray]:
    """Other forward inputs of the same shape (each floating input reversed), for the
    stale-cache probe: forward(decoy), forward(case), backward must use the second."""
    return {k: np.ascontiguousarray(np.flip(v)) if v.dtype.kind == "f" else v
            for k, v in case.inputs.items()}


def zero_inputs(spec: Spec, case: Case) -> dict[str, np.ndarray] | None:
    """For kinked layers, the case's inputs with every other element set exactly to 0,
    to see the derivative at the kink; ``None`` for other layers."""
    if spec.name not in KINKED:
        return None
    x = case.inputs["x"].copy()
    x.reshape(-1)[::2] = 0
    return {**case.inputs, "x": x}


def observe(runner: Runner, spec: Spec, case: Case) -> Outcome:
    """``runner(case)`` with the raw observations of every probe attached.

    The stale-cache probe (two more runs) runs on the first case of each layer and
    dtype only; a probe that fails says nothing (it never fails a check by itself). A
    runner that calls no Python code through ``calls`` (another program, over a pipe)
    is not run again: there is nothing to watch.
    """
    with calls.recording(case) as rec:
        outcome = runner(case)
    seen = changes(rec)
    if outcome.error is None and not outcome.problems and rec.calls:
        seen.update(_probes(runner, spec, case))
    return replace(outcome, observations=seen)


def changes(rec: calls.Recording) -> dict[str, dict[str, np.ndarray]]:
    """The arrays a run changed in place, split by whether the last call changed them."""
    split: dict[str, dict[str, np.ndarray]] = {}
    for name, (number, after) in rec.changed.items():
        phase = CHANGED_BY_BACKWARD if number == rec.calls else CHANGED_BY_FORWARD
        split.setdefault(phase, {})[name] = after
    return split


def _probes(runner: Runner, spec: Spec, case: Case) -> dict[str, dict[str, np.ndarray]]:
    found = {}
    if case.index == 0:
        decoy = replace(case, inputs=decoy_inputs(case))
        found[FIRST_ONLY] = _gradients(runner, spec, decoy)
        found[SECOND_FORWARD] = _gradients(runner, spec, case, decoy.inputs)
    zeros = zero_inputs(spec, case)
    if zeros is not None:
        found[AT_ZERO] = _gradients(runner, spec, replace(case, inputs=zeros))
    onehot = onehot_inputs(spec, case)
    if onehot is not None:
        found[ONEHOT] = _values(runner, spec, replace(case, inputs=onehot))
    return {k: v for k, v in found.items() if v}


def onehot_inputs(spec: Spec, case: Case) -> dict[str, np.ndarray] | None:
    """For class-target losses, the case's inputs with the labels as one-hot rows of the
    scores' shape and dtype; ``None`` for other layers."""
    target, x = case.inputs.get("target"), case.inputs.get("x")
    if spec.name not in CLASS_TARGETS or target is None or x is None or target.ndim != x.ndim - 1:
        return None
    onehot = np.zeros(x.shape, dtype=x.dtype)
    np.put_along_axis(onehot, np.asarray(target, dtype=np.intp)[..., None], 1.0, axis=-1)
    return {**case.inputs, "target": onehot}


def _values(runner: Runner, spec: Spec, case: Case) -> dict[str, np.ndarray]:
    """The float64 output (as ``out``) and gradients of one probe run; empty on failure."""
    try:
        with calls.recording(case):
            outcome = runner(case)
        if outcome.error is not None:
            return {}
        found = {"out": np.asarray(outcome.output, dtype=np.float64)}
        found.update((n, np.asarray(v, dtype=np.float64)) for n, v in outcome.grads.items()
                     if n in spec.wrt and _is_array(v))
        return found
    except Exception:
        return {}


def _gradients(runner: Runner, spec: Spec, case: Case,
               decoy: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """The float64 gradients of one probe run; empty when anything goes wrong."""
    try:
        with calls.recording(case, decoy) as rec:
            outcome = runner(case)
        if outcome.error is not None or (decoy is not None and not rec.doubled):
            return {}
        return {n: np.asarray(v, dtype=np.float64) for n, v in outcome.grads.items()
                if n in spec.wrt and _is_array(v)}
    except Exception:
        return {}


def _is_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.dtype.kind in "biuf"


def well_formed(observations: Any) -> dict[str, dict[str, np.ndarray]]:
    """Only what ``observe`` can produce: known names, each a mapping of names to
    numeric arrays (what a child sends over the sandbox wire is checked against this)."""
    if not isinstance(observations, dict):
        return {}
    kept = {}
    for key in OBSERVATIONS:
        arrays = observations.get(key)
        if isinstance(arrays, dict):
            good = {str(k): v for k, v in arrays.items() if _is_array(v)}
            if good:
                kept[key] = good
    return kept
