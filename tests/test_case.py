"""Case seeds are stable, distinct per case, and independent of Python's hash seed."""

from __future__ import annotations

import subprocess
import sys

from harness.case import Case, case_seed
from harness.result import Check
from harness.specs import CATALOG


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


def test_every_id_is_spelled_by_case_identify():
    case = CATALOG["Linear"].case(2, "float32")
    check = Check("Linear", 2, "float32", "dW", "torch", "pass")
    assert case.id == Case.identify("Linear", 2, "float32") == "Linear-case2-float32"
    assert check.case_id == case.id
    assert check.id == "Linear-case2-dW-torch"
    assert Case.identify("Linear", 2, "", "dW") == "Linear-case2-dW"
