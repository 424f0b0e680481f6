"""Every declarable convention: a correct library passes only when it is declared (and
fails with a hint naming the option when it is not), and one bug is caught even so."""

from __future__ import annotations

from pathlib import Path

import pytest
from adapter_checks import SUBMISSIONS, messages, run_check, verdicts

from harness.adapters.conventions import Conventions, parse
from harness.errors import UsageError

FOLDER = SUBMISSIONS / "conventions"
F64 = ("float64",)


def variant(tmp_path: Path, name: str, **constants: object) -> Path:
    """A copy of fixture ``name`` with its module-level constants set."""
    text = (FOLDER / name).read_text()
    for key, value in constants.items():
        old = next(line for line in text.splitlines() if line.startswith(f"{key} = "))
        text = text.replace(old, f"{key} = {value!r}", 1)
    path = tmp_path / f"{'_'.join(str(v) for v in constants.values()) or 'plain'}_{name}"
    path.write_text(text)
    return path


def passed(result) -> bool:
    return result.passed and bool(result.checks)


# --- per-layer syntax ---------------------------------------------------------------


def test_per_layer_options_override_the_library_wide_ones():
    parsed = parse("reduction=sum,Linear.param_grads=per-sample,CrossEntropy.targets=onehot")
    assert parsed.of("Linear").param_grads == "per-sample"
    assert parsed.of("LayerNorm").param_grads == "total"
    assert parsed.of("CrossEntropy").targets == "onehot"
    assert parsed.of("MSELoss").reduction == "sum" and parsed.of("MSELoss").targets == "labels"


def test_an_adapter_file_declares_per_layer_options_as_a_dict():
    declared = Conventions(layers={"Linear": {"param_grads": "per-sample"}})
    assert declared.of("Linear").param_grads == "per-sample"
    assert declared.of("Conv2d").param_grads == "total"


@pytest.mark.parametrize(("text", "message"), [
    ("Linaer.param_grads=per-sample", "unknown layer 'Linaer'"),
    ("Linear.param_grad=per-sample", "unknown adapter option 'param_grad'"),
    ("Linear.targets=onehot", "adapter option targets does not apply to Linear"),
    ("CrossEntropy.targets=one-hot", "CrossEntropy.targets='one-hot' is not valid"),
    ("Dropout.inverted=maybe", "Dropout.inverted='maybe' is not valid"),
    ("reduction=average", "reduction='average' is not valid"),
])
def test_bad_per_layer_options_are_one_line_usage_errors(text, message):
    with pytest.raises(UsageError, match=message):
        parse(text)


def test_a_bad_layer_in_an_adapter_file_is_a_usage_error():
    with pytest.raises(UsageError, match=r"Dropout\.p='half' is not valid"):
        Conventions(layers={"Dropout": {"p": "half"}})


def test_per_layer_options_reach_the_sandboxed_child():
    option = "classes:Linear.param_grads=per-sample"
    from harness import engine, specs
    from harness.isolation import executor
    from harness.target import Target

    result = engine.check(Target(str(FOLDER / "mixed_param_grads.py"), option),
                          specs.select(["Linear", "LayerNorm"]), list(F64), ["fd"],
                          executor=executor("process"))
    assert passed(result), [c.explain() for c in result.checks if not c.passed][:2]


# --- per-layer parameter gradients ------------------------------------------------------


def test_param_grads_declared_for_one_layer_only():
    layers = ["Linear", "LayerNorm"]
    path = FOLDER / "mixed_param_grads.py"
    assert passed(run_check(path, layers, "classes:Linear.param_grads=per-sample", dtypes=F64))
    library_wide = verdicts(run_check(path, layers, "classes:param_grads=per-sample",
                                      dtypes=F64))
    assert "fail" in library_wide["LayerNorm.dgamma"]
    undeclared = run_check(path, layers, dtypes=F64)
    assert "fail" in verdicts(undeclared)["Linear.dW"]
    assert "LayerNorm.dgamma" in verdicts(undeclared) and not verdicts(
        undeclared)["LayerNorm.dgamma"] - {"pass"}


def test_param_grads_one_bug_is_caught_with_the_option(twin):
    found = verdicts(run_check(twin("submissions/conventions/mixed_param_grads_buggy.py"),
                               ["Linear"],
                               "classes:Linear.param_grads=per-sample", dtypes=F64))
    assert found["Linear.dW"] == {"pass"} and "fail" in found["Linear.db"]


# --- targets ----------------------------------------------------------------------------


def test_onehot_targets_pass_only_when_declared():
    path = FOLDER / "onehot_loss.py"
    assert passed(run_check(path, ["CrossEntropy"], "classes:CrossEntropy.targets=onehot"))
    undeclared = run_check(path, ["CrossEntropy"], dtypes=F64)
    assert not undeclared.passed
    assert any("CrossEntropy.targets=onehot" in m for m in messages(undeclared, "CrossEntropy"))


def test_onehot_targets_one_bug_is_caught(twin):
    found = verdicts(run_check(twin("submissions/conventions/onehot_loss_buggy.py"),
                               ["CrossEntropy"],
                               "classes:targets=onehot", dtypes=F64))
    assert found["CrossEntropy.out"] == {"pass"} and "fail" in found["CrossEntropy.dx"]


# --- reductions -------------------------------------------------------------------------

MSE = '''
import numpy as np


class MSELoss:
    def forward(self, pred, target):
        self.diff = pred - target
        return {value}

    def backward(self, dout=1.0):
        return {grad}
'''
REDUCTIONS = {
    "sum": ("np.sum(self.diff**2)", "dout * 2 * self.diff"),
    "half-sum": ("0.5 * np.sum(self.diff**2)", "dout * self.diff"),
    "half-mean": ("0.5 * np.mean(self.diff**2)", "dout * self.diff / self.diff.size"),
    "batch-mean": ("np.sum(self.diff**2) / len(self.diff)",
                   "dout * 2 * self.diff / len(self.diff)"),
    "per-sample": ("np.mean(self.diff**2, axis=1)",
                   "2 * self.diff / self.diff.shape[1] * np.reshape(dout, (-1, 1))"),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_each_reduction_passes_declared_and_fails_undeclared(tmp_path, reduction):
    value, grad = REDUCTIONS[reduction]
    path = tmp_path / "mse.py"
    path.write_text(MSE.format(value=value, grad=grad))
    assert passed(run_check(path, ["MSELoss"], f"classes:MSELoss.reduction={reduction}"))
    assert not run_check(path, ["MSELoss"], dtypes=F64).passed


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_each_reduction_one_bug_is_caught(tmp_path, reduction):
    value, grad = REDUCTIONS[reduction]
    path = tmp_path / "mse.py"
    path.write_text(MSE.format(value=value, grad=f"0.5 * {grad}"))
    found = verdicts(run_check(path, ["MSELoss"], f"classes:reduction={reduction}",
                               dtypes=F64))
    assert found["MSELoss.out"] == {"pass"} and "fail" in found["MSELoss.dx"]


# --- activations with derivative() ---------------------------------------------------------


def test_derivative_activations_pass_only_when_declared():
    path = FOLDER / "derivative_activations.py"
    layers = ["Sigmoid", "Tanh"]
    assert passed(run_check(path, layers, "classes:activation_grad=derivative"))
    undeclared = run_check(path, layers, dtypes=F64)
    assert verdicts(undeclared)["Sigmoid.dx"] == {"error"}
    assert any("Sigmoid.activation_grad=derivative" in m for m in messages(undeclared, "Sigmoid"))


def test_derivative_activation_one_bug_is_caught(twin):
    found = verdicts(run_check(twin("submissions/conventions/derivative_activations_buggy.py"),
                               ["Sigmoid", "Tanh"],
                               "classes:Tanh.activation_grad=derivative,"
                               "Sigmoid.activation_grad=derivative", dtypes=F64))
    assert found["Sigmoid.dx"] == {"pass"} and "fail" in found["Tanh.dx"]


# --- dropout, CS231n style -------------------------------------------------------------------


@pytest.mark.parametrize("draw", ["rand", "random", "binomial", "rng", "uniform", "broadcast"])
def test_cs231n_dropout_passes_however_the_mask_is_drawn(tmp_path, draw):
    result = run_check(variant(tmp_path, "cs231n_dropout.py", DRAW=draw), ["Dropout"])
    assert passed(result), [c.explain() for c in result.checks if not c.passed][:2]


def test_the_2016_handout_p_passes_only_when_declared(tmp_path):
    path = variant(tmp_path, "cs231n_dropout.py", P="drop")
    assert passed(run_check(path, ["Dropout"], "cs231n:Dropout.p=drop"))
    undeclared = run_check(path, ["Dropout"], dtypes=F64)
    assert not undeclared.passed
    assert any("Dropout.p=drop" in m for m in messages(undeclared, "Dropout"))


@pytest.mark.parametrize("bug", ["no-mask", "fresh-mask", "keep-drop"])
def test_cs231n_dropout_one_bug_is_caught(tmp_path, bug):
    for draw in ("rand", "rng"):
        result = run_check(variant(tmp_path, "cs231n_dropout.py", DRAW=draw, BUG=bug),
                           ["Dropout"], dtypes=F64)
        assert not result.passed, (draw, bug)


# --- dropout, classes ----------------------------------------------------------------------


def test_a_dropout_class_with_its_own_generator_passes():
    result = run_check(FOLDER / "classes_dropout.py", ["Dropout"], "classes")
    assert passed(result), [c.explain() for c in result.checks if not c.passed][:2]


def test_a_dropout_class_that_draws_its_own_mask_is_read_by_classes_not_native():
    result = run_check(FOLDER / "classes_dropout.py", ["Dropout"], dtypes=F64)
    assert result.adapter == "classes" and passed(result)


def test_non_inverted_dropout_passes_only_when_declared(tmp_path):
    path = variant(tmp_path, "classes_dropout.py", INVERTED=False)
    assert passed(run_check(path, ["Dropout"], "classes:Dropout.inverted=false"))
    assert not run_check(path, ["Dropout"], "classes", dtypes=F64).passed


def test_a_keep_probability_class_passes_only_when_declared(tmp_path):
    text = (FOLDER / "classes_dropout.py").read_text()
    path = tmp_path / "keep.py"
    path.write_text(text.replace(">= self.p", "< self.p").replace("(1 - self.p)", "self.p"))
    assert passed(run_check(path, ["Dropout"], "classes:Dropout.p=keep"))
    undeclared = run_check(path, ["Dropout"], "classes", dtypes=F64)
    assert any("Dropout.p=keep" in m for m in messages(undeclared, "Dropout"))


def test_dropout_class_one_bug_is_caught(tmp_path):
    path = variant(tmp_path, "classes_dropout.py", BUG="no-scale")
    found = verdicts(run_check(path, ["Dropout"], "classes", dtypes=F64))
    assert found["Dropout.out"] == {"pass"} and "fail" in found["Dropout.dx"]


# --- a failure off by exactly a convention names the option ----------------------------


def hints(result, layer: str) -> str:
    return " ".join(c.hint for c in result.checks if c.layer == layer and c.hint)


@pytest.mark.parametrize("reduction", ["sum", "half-sum", "half-mean", "batch-mean"])
def test_an_undeclared_reduction_fails_with_the_option_named(tmp_path, reduction):
    value, grad = REDUCTIONS[reduction]
    path = tmp_path / "mse.py"
    path.write_text(MSE.format(value=value, grad=grad))
    found = hints(run_check(path, ["MSELoss"], "classes", dtypes=F64), "MSELoss")
    assert f"--adapter classes:MSELoss.reduction={reduction}" in found


def test_undeclared_per_sample_gradients_fail_with_the_option_named():
    result = run_check(FOLDER / "mixed_param_grads.py", ["Linear"], "classes", dtypes=F64)
    assert "--adapter classes:Linear.param_grads=per-sample" in hints(result, "Linear")


def test_undeclared_non_inverted_dropout_fails_with_the_option_named(tmp_path):
    path = variant(tmp_path, "classes_dropout.py", INVERTED=False)
    found = hints(run_check(path, ["Dropout"], "classes", dtypes=F64), "Dropout")
    assert "--adapter classes:Dropout.inverted=false" in found


def test_no_option_is_advised_for_a_plain_bug(tmp_path):
    path = variant(tmp_path, "classes_dropout.py", BUG="no-scale")
    assert "declare it" not in hints(run_check(path, ["Dropout"], "classes", dtypes=F64),
                                     "Dropout")


# --- an adapter takes only the options it converts --------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("cs231n:Linear.param_grads=per-sample", "'cs231n' does not read option Linear.param_grads"),
    ("cs231n:bias=row", "'cs231n' does not read option bias"),
    ("columnar:loss_grad=sum", "'columnar' does not read option loss_grad"),
    ("classes:lr=0.1", "'classes' does not read option lr"),
    ("sgd:accumulate=true", "'sgd' does not read option accumulate"),
])
def test_an_option_the_adapter_would_ignore_is_a_usage_error(text, message):
    from harness import adapters

    with pytest.raises(UsageError, match=message):
        adapters.load(text)


def test_a_failure_advises_only_options_its_adapter_converts(tmp_path):
    """A CS231n affine_backward returning dw / N was told to declare
    cs231n:Linear.param_grads=per-sample, which cs231n ignored: the same failure again."""
    source = (SUBMISSIONS / "cs231n" / "layers.py").read_text()
    total = "dw = x.reshape(x.shape[0], -1).T @ dout"
    path = tmp_path / "layers.py"
    path.write_text(source.replace(total, f"{total} / x.shape[0]"))
    result = run_check(path, ["Linear"], "cs231n", dtypes=F64)
    assert "fail" in verdicts(result)["Linear.dW"]
    assert "declare it" not in hints(result, "Linear")
    classes_hint = "--adapter classes:Linear.param_grads=per-sample"
    assert classes_hint in hints(run_check(FOLDER / "mixed_param_grads.py", ["Linear"],
                                           "classes", dtypes=F64), "Linear")
