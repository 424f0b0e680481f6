"""Failure modes found grading real public implementations (issue #12's corpus).

Each fixture is correct code written in the style of a corpus repository; backcheck must
pass it."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "adapters"))
from adapter_checks import run_check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def _failures(result):
    return [c.explain() for c in result.checks if not c.passed][:3]


def test_dropout_drawn_with_np_random_random_passes():
    result = run_check(FIXTURES / "dropout_random_random.py", ["Dropout"], dtypes=("float64",))
    assert result.passed, _failures(result)


def test_softmax_loss_returning_a_python_float_passes():
    result = run_check(FIXTURES / "softmax_loss_python_float.py", ["CrossEntropy"],
                       dtypes=("float64",))
    assert result.passed, _failures(result)


def test_derivative_style_activations_pass_a_constant_and_an_optional_state():
    result = run_check(FIXTURES / "derivative_constant.py", ["Identity", "Tanh", "Sigmoid"],
                       adapter="classes:activation_grad=derivative", dtypes=("float64",))
    assert {c.layer for c in result.checks} == {"Identity", "Tanh", "Sigmoid"}
    assert result.passed, _failures(result)


def test_a_dropout_with_forward_pass_is_driven():
    result = run_check(FIXTURES / "dropout_forward_pass.py", ["Dropout"], dtypes=("float64",))
    assert {c.layer for c in result.checks} == {"Dropout"}
    assert result.passed, _failures(result)


def test_a_linear_that_demands_initializer_functions_is_constructed():
    result = run_check(FIXTURES / "linear_init_functions.py", ["Linear"],
                       adapter="classes:Linear.param_grads=per-sample,Linear.bias=row",
                       dtypes=("float64",))
    assert {c.layer for c in result.checks} == {"Linear"}
    assert result.passed, _failures(result)


def test_a_reduction_hint_is_never_one_the_case_cannot_tell_apart():
    path = FIXTURES / "mse_half_mean.py"
    undeclared = run_check(path, ["MSELoss"], adapter="classes", dtypes=("float64",))
    hints = {c.hint for c in undeclared.checks if not c.passed}
    assert any("MSELoss.reduction=half-mean" in h for h in hints), hints
    assert not any("half-sum" in h for h in hints), hints
    declared = run_check(path, ["MSELoss"], adapter="classes:MSELoss.reduction=half-mean",
                         dtypes=("float64",))
    assert declared.passed, _failures(declared)


def test_gradients_kept_in_private_attributes_are_found():
    result = run_check(FIXTURES / "dense_private_grads.py", ["Linear"], dtypes=("float64",),
                       adapter="classes:Linear.weight=out-in,Linear.bias=row,"
                               "Linear.param_grads=per-sample")
    assert {c.layer for c in result.checks} == {"Linear"}
    assert result.passed, _failures(result)


def _corpus_module():
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus.py"
    spec = importlib.util.spec_from_file_location("corpus_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_constructor_that_raises_is_the_students_failure_and_counts_as_driven():
    result = run_check(FIXTURES / "linear_unfinished_init.py", ["Linear"], adapter="classes",
                       dtypes=("float64",))
    messages = {c.message for c in result.checks}
    assert all(c.verdict == "error" for c in result.checks) and result.checks
    assert all("Linear.__init__(in_feature=" in m and "raised TypeError" in m
               for m in messages), messages
    report = {"checks": [{"layer": c.layer, "verdict": c.verdict, "message": c.message}
                         for c in result.checks]}
    assert _corpus_module().layer_verdicts(report) == {"Linear": False}
