"""The naive baseline: the per-submission test script an instructor writes by hand.

It imports PyTorch and TensorFlow, loads one submission, and checks every layer of
the catalog on every case against both frameworks, recomputing the expected values
each time. Run once per submission as a fresh ``python -m pytest``, this is what
backcheck's batch is compared with.
"""

from __future__ import annotations

from pathlib import Path

TEST_FILE = '''"""Naive grading script: every layer against PyTorch and TensorFlow, from scratch."""

import os

import numpy as np
import pytest
import tensorflow  # noqa: F401  (imported up front, as such scripts do)
import torch  # noqa: F401

from harness import adapters, loaders
from harness.oracles.tensorflow import TensorFlowOracle
from harness.oracles.torch import TorchOracle
from harness.specs import CATALOG

SUBMISSION = loaders.load(os.environ["BENCHMARK_SUBMISSION"])
ADAPTER, _ = adapters.choose(SUBMISSION.namespace)
ORACLES = [TorchOracle(), TensorFlowOracle()]
RTOL = {"float32": 1e-3, "float64": 1e-6}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("layer", list(CATALOG))
def test_layer(layer, dtype):
    spec = CATALOG[layer]
    runner = ADAPTER.runner(SUBMISSION.namespace, spec)
    assert runner is not None, f"{layer} is not defined"
    for case in spec.cases(dtype):
        got = runner(case)
        assert got.error is None, str(got.error)
        for oracle in ORACLES:
            want = oracle.evaluate(spec, case)
            for quantity in spec.quantities:
                np.testing.assert_allclose(got.value(quantity), want.value(quantity),
                                           rtol=RTOL[dtype], atol=RTOL[dtype] * 1e-1)
'''


def write(directory: Path) -> Path:
    """Write the naive test file into ``directory``; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "test_naive_grading.py"
    path.write_text(TEST_FILE)
    return path
