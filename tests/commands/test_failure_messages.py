"""What a failing check says, through ``check``, ``grade`` and ``batch``, in process and
sandboxed: never an empty message, and an environment error said with its fix."""

from __future__ import annotations

import json

import pytest

MESSAGES = "messages"


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_removed_numpy_alias_says_what_where_and_what_to_do(cli, fixtures, isolation):
    run = cli("check", fixtures / MESSAGES / "removed_alias.py", "--layers", "ReLU",
              "--oracles", "fd", "--dtype", "float64", "--isolation", isolation, "--json")
    checks = json.loads(run.out)["checks"]
    assert checks and all(c["verdict"] == "error" for c in checks)
    message = checks[0]["message"]
    assert "np.int was removed in NumPy 1.24: use int (or np.int64)" in message
    assert "(at removed_alias.py:7)" in message and "\n" not in message


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_python2_division_is_named_in_grade(cli, fixtures, tmp_path, isolation):
    run = cli("grade", fixtures / MESSAGES / "py2_division.py", "--layers", "MaxPool2d",
              "--oracles", "fd", "--isolation", isolation, "--format", "json",
              "--out", tmp_path / "out")
    assert run.code in (0, 1), run.err
    grade = json.loads((tmp_path / "out" / "grade.json").read_text())
    assert any("looks like Python 2 division: use //" in p and "py2_division.py:11" in p
               for p in grade["problems"])


def test_a_module_level_removed_alias_is_a_one_line_load_note(cli, tmp_path):
    source = tmp_path / "old.py"
    source.write_text("import numpy as np\nDTYPE = np.float\n\n\ndef relu(x):\n"
                      "    return x\n")
    run = cli("check", source, "--layers", "ReLU", "--oracles", "fd", "--json")
    notes = json.loads(run.out)["notes"]
    assert any("np.float was removed in NumPy 1.24: use float (or np.float64)" in n
               and "old.py:2" in n for n in notes), notes


ONEHOT_HINT = "declare it: --adapter classes:CrossEntropy.targets=onehot."


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_an_undeclared_onehot_loss_is_told_how_to_declare_it(cli, fixtures, isolation):
    """On a batch of one, integer labels broadcast against the (1, C) scores: the loss
    runs, gives wrong values, and must still say which option declares it."""
    source = fixtures / MESSAGES / "onehot_loss.py"
    run = cli("check", source, "--layers", "CrossEntropy", "--oracles", "fd",
              "--isolation", isolation, "--json")
    failed = [c for c in json.loads(run.out)["checks"] if c["verdict"] == "fail"]
    assert failed, run.out
    assert all(c["hint"].endswith(ONEHOT_HINT) and c["message"] for c in failed)
    declared = cli("check", source, "--layers", "CrossEntropy", "--oracles", "fd",
                   "--isolation", isolation, "--adapter", "classes:CrossEntropy.targets=onehot")
    assert declared.code == 0, declared.out


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_a_max_pool_that_assigns_at_the_argmax_is_named_with_its_evidence(cli, fixtures,
                                                                          isolation):
    """Wrong only where windows overlap: the failing cases say what, and the numbers."""
    run = cli("check", fixtures / MESSAGES / "pool_argmax_assign.py", "--layers", "MaxPool2d",
              "--oracles", "fd", "--isolation", isolation, "--json")
    checks = json.loads(run.out)["checks"]
    failed = [c for c in checks if c["verdict"] == "fail"]
    assert {c["case"] for c in failed} == {1, 2}, "only the overlapping cases fail"
    for check in failed:
        assert check["hint"].startswith(
            "the MaxPool2d backward assigns at each window's maximum instead of adding")
        assert check["message"].startswith("mismatch: ")
        assert all(w in check["message"] for w in ("worst at [", "expected", "got",
                                                     "max rel error", "tolerance rtol="))
