"""Case seeds are stable, distinct per case, and independent of Python's hash seed."""

from __future__ import annotations

import subprocess
import sys

from harness.case import case_seed


def test_seed_depends_on_every_part():
    base = case_seed("", "Linear", 0, "float32")
    assert base == case_seed("", "Linear", 0, "float32")
    others = {
        case_seed("salt", "Linear", 0, "float32"),
        case_seed("", "ReLU", 0, "float32"),
        case_seed("", "Linear", 1, "float32"),
        case_seed("", "Linear", 0, "float64"),
    }
    assert base not in others
    assert len(others) == 4


def test_seed_is_the_same_in_another_interpreter():
    code = "from harness.case import case_seed; print(case_seed('s', 'Conv2d', 3, 'float64'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout
    assert int(out) == case_seed("s", "Conv2d", 3, "float64")
