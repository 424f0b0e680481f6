"""``backcheck repro``: a standalone script with the exact case that reproduces a check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from harness.errors import UsageError
from harness.repro import CheckId, script
from harness.specs import CATALOG

HERE = Path(__file__).resolve().parents[1]
MUTANT = HERE / "diagnosis" / "mutants" / "softmax_no_cross_term.py"
CORRECT = HERE / "hostile" / "submissions" / "correct.py"
CS231N = HERE / "fixtures" / "submissions" / "cs231n" / "layers.py"


@pytest.mark.parametrize(("text", "parsed"), [
    ("Linear-case2-float32-dW-torch", CheckId("Linear", 2, "float32", "dW")),
    ("Linear-case2-dW-torch", CheckId("Linear", 2, "float64", "dW")),
    ("Conv2d-case0-float64-out", CheckId("Conv2d", 0, "float64", "out")),
])
def test_check_ids_as_reports_print_them(text, parsed):
    assert CheckId.parse(text) == parsed


@pytest.mark.parametrize("text", ["Linear", "Linear-case-dW", "Linear-case2-float16-dW"])
def test_a_malformed_check_id_is_a_usage_error(text):
    with pytest.raises(UsageError, match="is not a check id"):
        CheckId.parse(text)


def _run(tmp_path, *args) -> subprocess.CompletedProcess:
    out = tmp_path / "repro.py"
    made = subprocess.run([sys.executable, "-m", "harness", "repro", *map(str, args),
                           "--out", str(out)], capture_output=True, text=True, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return subprocess.run([sys.executable, str(out)], capture_output=True, text=True,
                          cwd=tmp_path)


def test_reproducer_shows_the_failure_outside_backcheck(tmp_path):
    """The native call is written out: the script runs with no backcheck on the path."""
    ran = _run(tmp_path, MUTANT, "Softmax-case1-float32-dx", "--adapter", "native")
    assert "within the float32 tolerance" in ran.stdout
    assert ran.stdout.rstrip().endswith("False")
    text = (tmp_path / "repro.py").read_text()
    assert "harness" not in text and "submission.Softmax()" in text


def test_reproducer_of_a_correct_layer_says_it_is_within_tolerance(tmp_path):
    ran = _run(tmp_path, CORRECT, "Linear-case3-float64-dW", "--adapter", "native")
    assert ran.stdout.rstrip().endswith("True"), ran.stdout + ran.stderr


def test_reproducer_goes_through_the_adapter_for_other_styles(tmp_path):
    ran = _run(tmp_path, CS231N, "Linear-case1-float32-dW")
    assert ran.returncode == 0, ran.stderr
    assert "within the float32 tolerance" in ran.stdout


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_script_holds_the_exact_case(dtype):
    spec = CATALOG["BatchNorm"]
    case = spec.case(1, dtype, salt="course")
    text = script(spec, case, "dx", np.zeros(3), "alice.py", "native")
    namespace: dict = {}
    kept = [line for line in text.splitlines()
            if " = np.array(" in line or line.startswith("import numpy")]
    exec("\n".join(kept), namespace)
    for name, value in {**case.inputs, **case.params, "dout": case.upstream}.items():
        assert namespace[name].dtype == value.dtype
        np.testing.assert_array_equal(namespace[name], value)


@pytest.mark.parametrize(("args", "code", "words"), [
    (("no/such.py", "Linear-case1-dx"), 3, "no such file"),
    ((str(CORRECT), "Nope-case1-dx"), 2, "unknown layer"),
    ((str(CORRECT), "Linear-case1-dgamma"), 2, "has no quantity"),
    ((str(CORRECT), "Linear-case9-dx"), 2, "has no case 9"),
])
def test_bad_input_is_one_line(backcheck, args, code, words):
    run = backcheck("repro", *args)
    assert run.code == code
    assert words in run.err and len(run.err.strip().splitlines()) == 1
