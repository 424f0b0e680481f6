"""``backcheck repro``: a standalone script with the exact case that reproduces a check."""

from __future__ import annotations

import ast
import re
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


def test_check_prints_the_command_and_the_smallest_case(backcheck):
    run = backcheck("check", MUTANT, "--layers", "Softmax", "--oracles", "fd")
    assert run.code == 1
    assert "reproduce: backcheck repro" in run.out and "--adapter native" in run.out
    assert "smallest: Softmax dx" in " ".join(run.out.split())


def test_every_report_format_carries_the_reproducer(backcheck, tmp_path):
    stride_bug = HERE / "diagnosis" / "mutants" / "conv_dw_stride.py"
    out = tmp_path / "out"
    run = backcheck("grade", stride_bug, "--layers", "Conv2d", "--oracles", "fd",
                    "--out", out, "--format", "terminal,markdown,junit,html,json")
    assert run.code == 0, run.err
    command = f"backcheck repro {stride_bug} Conv2d-case1-float32-dW --adapter native"
    flat = " ".join(run.out.split())
    assert command in flat and "fails only when stride=2" in flat
    for name in ("report.md", "junit.xml", "report.html"):
        assert command in (out / name).read_text(), name
    assert "fails only when stride=2" in (out / "report.md").read_text()


def test_the_printed_command_reproduces_the_failure(backcheck, tmp_path):
    run = backcheck("check", MUTANT, "--layers", "Softmax", "--oracles", "fd")
    flat = " ".join(run.out.split())
    words = re.search(r"backcheck repro (\S+) (\S+) --adapter (\S+)", flat).groups()
    ran = _run(tmp_path, words[0], words[1], "--adapter", words[2])
    assert ran.stdout.rstrip().endswith("False")


def test_the_printed_command_keeps_the_adapter_options(backcheck, tmp_path):
    buggy = HERE / "fixtures" / "submissions" / "classes" / "dense_buggy.py"
    run = backcheck("check", buggy, "--adapter", "classes:loss_grad=mean", "--layers",
                    "Linear", "--oracles", "fd")
    flat = " ".join(run.out.split())
    assert run.code == 1
    words = re.search(r"backcheck repro (\S+) (\S+) --adapter (\S+)", flat).groups()
    assert words[2] == "classes:loss_grad=mean"
    ran = _run(tmp_path, words[0], words[1], "--adapter", words[2])
    assert ran.stdout.rstrip().endswith("False")


def _assigned(lines: list[str]) -> set[str]:
    return {target.id for node in ast.walk(ast.parse("\n".join(lines)))
            if isinstance(node, ast.Assign) for target in node.targets
            if isinstance(target, ast.Name)}


@pytest.mark.parametrize("layer", sorted(CATALOG))
def test_the_script_never_reuses_a_name_the_case_defines(layer):
    """The script's own variables must not overwrite a case's array or setting: a loss's
    input is called ``target``, and the script once named backcheck's Target so too."""
    from harness.repro import _adapter_call, _native_call

    spec = CATALOG[layer]
    case = spec.case(0, "float64")
    defined = {*case.inputs, *case.params, *case.config, "dout", "expected"}
    own = (_assigned(_adapter_call(spec, case, "out", "x.py", "classes", None))
           | _assigned(_native_call(spec, case, "out", "x.py")))
    assert not own & defined


def test_a_loss_target_reaches_the_code_through_the_adapter(tmp_path):
    network = HERE / "fixtures" / "book" / "network.py"
    ran = _run(tmp_path, network, "SigmoidNet-case0-float64-dW2", "--adapter", "book")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.rstrip().endswith("True"), ran.stdout
