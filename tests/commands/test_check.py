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
