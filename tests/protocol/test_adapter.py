"""The protocol adapter against small Python programs: conventions converted exactly
as declared, wrong replies reported, a dead or silent program failing one layer."""

from __future__ import annotations

import sys

from programs import CANONICAL, check, messages, program, verdicts

RELU = '    if layer == "ReLU":'


def relu_first(statement: str) -> str:
    """The canonical server, with ``statement`` run first on every ReLU case."""
    return CANONICAL.replace(RELU, f"{RELU}\n        {statement}")

OUT_IN_COLUMNS = '''\
def answer(layer, a):
    x, W, b, g = a["x"], a["W"], a["b"], a["dout"]   # x (in, N), W (out, in), b (out, 1)
    return {"out": W @ x + b, "dx": W.T @ g, "dW": g @ x.T, "db": g.sum(1, keepdims=True)}
'''

SUM_LOSS = '''\
def answer(layer, a):
    d = a["x"] - a["target"]
    return {"out": np.mean(d ** 2), "dx": 2 * d}
'''

FLAT_BIAS_GRADIENT = '''\
def answer(layer, a):
    x, W, b, g = a["x"], a["W"], a["b"], a["dout"]
    return {"out": x @ W + b.ravel(), "dx": g @ W.T, "dW": x.T @ g, "db": g.sum(0)}
'''


def test_a_program_in_backcheck_conventions_passes(tmp_path):
    result = check(program(tmp_path / "p"), ["Linear", "ReLU"])
    assert set().union(*verdicts(result).values()) == {"pass"}


def test_declared_layouts_are_converted(tmp_path):
    declared = ["Linear weight=out-in bias=column batch=columns"]
    result = check(program(tmp_path / "p", OUT_IN_COLUMNS, declared), ["Linear"])
    assert set().union(*verdicts(result).values()) == {"pass"}


def test_the_same_program_undeclared_is_not_rescued(tmp_path):
    result = check(program(tmp_path / "p", OUT_IN_COLUMNS, ["Linear"]), ["Linear"])
    assert "pass" not in verdicts(result)["Linear.dW"]


def test_a_declared_sum_loss_is_converted_and_an_undeclared_one_fails(tmp_path):
    declared = check(program(tmp_path / "a", SUM_LOSS, ["MSELoss loss_grad=sum"]), ["MSELoss"])
    silent = check(program(tmp_path / "b", SUM_LOSS, ["MSELoss"]), ["MSELoss"])
    assert verdicts(declared)["MSELoss.dx"] == {"pass"}
    assert "fail" in verdicts(silent)["MSELoss.dx"]


def test_a_gradient_not_shaped_like_its_declared_variable_is_named(tmp_path):
    result = check(program(tmp_path / "p", FLAT_BIAS_GRADIENT, ["Linear bias=column"]),
                   ["Linear"])
    assert verdicts(result)["Linear.db"] == {"error"}
    assert verdicts(result)["Linear.dW"] == {"pass"}
    assert any("db has shape (2,), but b is (2, 1)" in m for m in messages(result, "Linear.db"))


def test_an_error_reply_is_reported_as_the_program_gave_it(tmp_path):
    result = check(program(tmp_path / "p", CANONICAL, ["Linear", "Sigmoid"]), ["Sigmoid"])
    assert verdicts(result)["Sigmoid.out"] == {"missing"}
    assert any("Sigmoid: Sigmoid" in m for m in messages(result))


def test_garbage_in_a_reply_fails_that_case_with_the_line(tmp_path):
    body = relu_first('print("hello")')
    result = check(program(tmp_path / "p", body), ["Linear", "ReLU"])
    assert verdicts(result)["Linear.dW"] == {"pass"}
    assert verdicts(result)["ReLU.out"] == {"error"}
    assert any("expected 'array NAME NDIM ...', got 'hello'" in m for m in messages(result))


def test_a_program_that_dies_mid_case_fails_only_that_layer(tmp_path):
    body = relu_first("sys.exit(3)")
    result = check(program(tmp_path / "p", body, ["ReLU", "Linear"]), ["ReLU", "Linear"])
    assert verdicts(result)["ReLU.dx"] == {"error"}
    assert verdicts(result)["Linear.dW"] == {"pass"}
    assert any("exited with status 3" in m for m in messages(result, "ReLU.dx"))


def test_a_silent_program_times_out_per_case(tmp_path):
    body = relu_first("__import__('time').sleep(60)")
    manifest = f'run = "{sys.executable} server.py"\ntimeout = 1\n'
    result = check(program(tmp_path / "p", body, manifest=manifest), ["ReLU", "Linear"],
                   dtypes=["float64"])
    assert verdicts(result)["ReLU.out"] == {"error"}
    assert verdicts(result)["Linear.out"] == {"pass"}
    assert any("did not send a reply within 1 s" in m for m in messages(result, "ReLU.out"))


def test_a_wrong_handshake_fails_every_layer_with_the_reason(tmp_path):
    result = check(program(tmp_path / "p", version=2), ["Linear"], dtypes=["float64"])
    assert verdicts(result)["Linear.out"] == {"error"}
    assert any("speaks backcheck-protocol 2" in m for m in messages(result))


def test_undeclared_layers_are_missing_not_guessed(tmp_path):
    result = check(program(tmp_path / "p", declared=["ReLU"]), ["Linear", "ReLU"])
    assert verdicts(result)["ReLU.dx"] == {"pass"}
    assert "pass" not in verdicts(result)["Linear.out"]
