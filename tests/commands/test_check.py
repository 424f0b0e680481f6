"""``backcheck check`` through the real command line."""

from __future__ import annotations

import json

import pytest

BUGGY_LINEAR = '''
import numpy as np


class Linear:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        return {"x": dout @ self.W.T, "W": (self.x.T @ dout).T, "b": dout.sum(axis=0)}
'''


def test_reference_passes_and_exits_zero(backcheck):
    run = backcheck("check", "reference", "--oracles", "fd", "--layers", "Linear,ReLU")
    assert run.code == 0, run.err
    assert "checks passed" in run.out
    assert "fail" not in run.out


def test_json_output_lists_every_check(backcheck):
    run = backcheck("check", "reference", "--oracles", "fd", "--layers", "Linear",
                    "--dtype", "float32", "--json")
    data = json.loads(run.out)
    assert data["schema"] == "backcheck.result"
    assert data["passed"] is True
    ids = {c["id"] for c in data["checks"]}
    assert "Linear-case2-dW-fd" in ids
    assert all(c["verdict"] == "pass" for c in data["checks"])


def test_transposed_gradient_fails_with_a_hint(backcheck, tmp_path):
    (tmp_path / "alice.py").write_text(BUGGY_LINEAR)
    run = backcheck("check", "alice.py", "--oracles", "fd", "--layers", "Linear", "--json")
    assert run.code == 1
    failed = {c["quantity"] for c in json.loads(run.out)["checks"] if c["verdict"] == "fail"}
    assert failed == {"dW"}
    table = backcheck("check", "alice.py", "--oracles", "fd", "--layers", "Linear")
    assert "transpose" in table.out


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("check", "no/such/file.py"), 3, "no/such/file.py: no such file"),
        (("check", "reference", "--layers", "Linaer"), 2, "unknown layer 'Linaer'"),
        (("check", "reference", "--oracles", "jaxx"), 2, "unknown oracle 'jaxx'"),
    ],
)
def test_bad_input_is_one_line_and_a_documented_code(backcheck, args, code, fragment):
    run = backcheck(*args)
    assert run.code == code
    assert fragment in run.err
    assert "Traceback" not in run.err
    assert len(run.err.strip().splitlines()) == 1


def test_prints_of_the_code_under_test_stay_out_of_the_json(backcheck, tmp_path):
    chatty = BUGGY_LINEAR.replace("        self.x = x\n",
                                  "        self.x = x\n        print('{score: 100}')\n")
    (tmp_path / "chatty.py").write_text(chatty)
    run = backcheck("check", "chatty.py", "--oracles", "fd", "--layers", "Linear", "--json")
    assert json.loads(run.out)["passed"] is False
    assert "{score: 100}" in run.err


FRAMEWORKS = ("torch", "tensorflow", "jax")
PROBE = """
import sys, time
from harness.cli import main
start = time.process_time()
code = main(sys.argv[1:])
seconds = time.process_time() - start
loaded = sorted(m for m in {FRAMEWORKS!r} if m in sys.modules)
print("RESULT", code, f"{{seconds:.3f}}", ",".join(loaded) or "-")
"""


def _probe(tmp_path, *args):
    """``backcheck ARGS`` in a fresh interpreter with an empty cache: code, CPU seconds
    (not wall-clock: eight test runs may share two cores), what frameworks got imported,
    stderr."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "BACKCHECK_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", PROBE.format(FRAMEWORKS=FRAMEWORKS), *args],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    code, seconds, loaded = done.stdout.split("RESULT ")[1].split()
    return int(code), float(seconds), loaded, done.stderr


@pytest.mark.parametrize("args", [
    ("no/such/file.py",),
    ("reference", "--adapter", "nope"),
    ("reference", "--adapter", "classes:bias=sideways"),
    ("reference", "--layers", "Linaer"),
    ("reference", "--oracles", "jaxx"),
    ("reference", "--isolation", "process", "--timeout", "0"),
])
def test_bad_input_is_refused_before_any_expensive_work(tmp_path, args):
    code, seconds, loaded, err = _probe(tmp_path, "check", *args)
    assert code in (2, 3) and loaded == "-", (loaded, err)
    assert seconds < 1.5 and len(err.strip().splitlines()) == 1, (seconds, err)


@pytest.mark.parametrize(("option", "fragment"), [
    (("--timeout", "0"), "--timeout 0: must be a number of seconds greater than 0"),
    (("--timeout", "-1"), "--timeout -1: must be"),
    (("--total-timeout", "0"), "--total-timeout 0: must be"),
    (("--memory-mb", "1"), "--memory-mb 1: must be at least 256"),
    (("--memory-mb", "100"), "--memory-mb 100: must be at least 256"),
])
def test_limits_out_of_range_are_usage_errors(cli, option, fragment):
    run = cli("check", "reference", "--isolation", "process", *option)
    assert run.code == 2 and fragment in run.err and run.out == ""


def test_limits_without_a_sandbox_are_refused_not_dropped(cli):
    run = cli("check", "reference", "--timeout", "5")
    assert run.code == 2 and "--timeout applies only to sandboxed code" in run.err


def test_an_empty_folder_is_said_once(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    run = cli("check", tmp_path / "empty", "--oracles", "fd")
    assert run.code == 3 and run.out == ""
    assert run.err.strip() == (f"backcheck: error: {tmp_path / 'empty'}: the folder has no "
                               "Python file or notebook; give a .py file, a notebook, a .zip, "
                               "a directory or a module name")


@pytest.mark.slow
def test_tensorflow_start_up_log_never_reaches_the_output(tmp_path):
    pytest.importorskip("tensorflow")
    import os
    import subprocess
    import sys

    env = {**os.environ, "BACKCHECK_CACHE": "off"}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    done = subprocess.run([sys.executable, "-m", "harness", "check", "reference", "--oracles",
                           "tensorflow", "--layers", "ReLU", "--dtype", "float64"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    for noise in ("absl::InitializeLog", "oneDNN", "I0000"):
        assert noise not in done.stderr and noise not in done.stdout
