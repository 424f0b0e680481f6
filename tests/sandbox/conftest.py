"""Helpers for the sandbox tests: fixtures, jobs and a sandboxed run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import engine, specs
from harness.execution import Execution
from harness.isolation import executor
from harness.sandbox.limits import Limits
from harness.target import Target

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sandbox"
HOSTILE = Path(__file__).parent.parent / "hostile" / "submissions"

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="namespaces and the uid drop need root")


def jobs(layers: str = "Linear,ReLU", dtypes=("float64",)):
    """The jobs of ``backcheck check --layers LAYERS``, in one dtype by default."""
    return engine.jobs_for(specs.select(layers.split(",")), list(dtypes))


def sandboxed(path: Path | str, layers: str = "Linear,ReLU", dtypes=("float64",),
              **limits) -> Execution:
    """``path`` run through the process executor with short limits."""
    settings = {"timeout": 2.0, "memory_mb": 1024, **limits}
    run = executor("process", Limits(**settings))
    return run(Target(str(path), adapter="native"), jobs(layers, dtypes))


def errors(execution: Execution, layer: str) -> set[str]:
    """The distinct error strings of a layer's outcomes ("" for no error)."""
    return {str(o.error or "") for case_id, o in execution.outcomes.items()
            if case_id.startswith(layer + "-")}
