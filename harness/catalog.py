"""The layer catalog as code under test sees it: names and signatures, nothing more.

Adapters need each layer's name, kind, forward inputs, parameters and differentiated
names to find and call a submission's classes. They read them here, not from
``harness.specs``, whose draw functions and variants belong to the grader: in process
this module reads the full catalog lazily, while a sandboxed child is given outlines
of the specs by its parent (``install``), so ``harness/specs/`` and ``reference/``
can be hidden from it without breaking detection.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from harness.spec import Draw, Spec

_installed: dict[str, Spec] | None = None


def undrawable(rng, variant) -> Draw:
    """The draw function of an outline: cases come from the parent, already drawn."""
    raise RuntimeError("this spec is an outline: its cases are drawn by the grader")


def outline(spec: Spec) -> Spec:
    """``spec`` without its variants, draw function or reference (safe to send a child)."""
    return replace(spec, variants=(), draw=undrawable, reference="")


def outlines() -> dict[str, Spec]:
    """Every catalog layer's outline, in catalog order (what a child is sent)."""
    return {name: outline(spec) for name, spec in specs().items()}


def specs() -> Mapping[str, Spec]:
    """The layers adapters may look for: installed outlines, else the full catalog."""
    if _installed is not None:
        return _installed
    from harness.specs import CATALOG

    return CATALOG


def install(layers: Mapping[str, Spec] | None) -> None:
    """Use ``layers`` from now on (``None``: the full catalog again)."""
    global _installed
    _installed = None if layers is None else dict(layers)
