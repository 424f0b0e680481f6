"""Class styles of real from-scratch code, read by the ``classes`` adapter: each style's
correct fixture passes every check and its one-bug twin fails exactly where the bug is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from adapter_checks import run_check, verdicts

from harness.adapters.classes import ClassesAdapter
from harness.loaders import load

STYLES = Path(__file__).resolve().parents[1] / "fixtures" / "styles"
NNFS = ["Linear", "ReLU", "Sigmoid", "Identity", "Softmax", "MSELoss", "BCELoss",
        "CrossEntropy"]


def _failing(result) -> set[str]:
    return {f"{c.layer}.{c.quantity}" for c in result.checks if c.verdict != "pass"}


def test_nnfs_layers_that_store_output_and_dinputs_are_found_by_their_names():
    detection = ClassesAdapter().detect(load(str(STYLES / "nnfs.py")).namespace)
    assert set(detection.layers) == set(NNFS)
    assert "Layer_Dense as Linear" in detection.evidence
    assert "Activation_Linear as Identity" in detection.evidence
    assert "Activation_Softmax_Loss_CategoricalCrossentropy as CrossEntropy" in (
        detection.evidence)


def test_the_nnfs_style_passes_every_check():
    result = run_check(STYLES / "nnfs.py", NNFS)
    assert result.adapter == "classes"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]
    assert {c.layer for c in result.checks} == set(NNFS)


def test_an_nnfs_softmax_loss_that_forgets_the_batch_is_caught_there_only(twin):
    result = run_check(twin("styles/nnfs_buggy.py"), NNFS)
    assert _failing(result) == {"CrossEntropy.dx"}
    assert verdicts(result)["CrossEntropy.dx"] == {"pass", "fail"}  # N=1 cannot show it


@pytest.mark.parametrize("name, layers", [("dicts", ["Linear", "ReLU", "Sigmoid", "MSELoss"]),
                                          ("lazy", ["Linear"])])
def test_dict_parameters_other_method_names_and_lazy_weights_pass(name, layers):
    result = run_check(STYLES / f"{name}.py", layers)
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]
    assert {c.layer for c in result.checks} == set(layers)


def test_a_mean_bias_gradient_in_a_params_dict_is_caught(twin):
    result = run_check(twin("styles/dicts_buggy.py"), ["Linear", "ReLU", "Sigmoid", "MSELoss"])
    assert _failing(result) == {"Linear.db"}


def test_a_lazy_layer_that_forgets_its_bias_is_caught_in_the_forward_only(twin):
    result = run_check(twin("styles/lazy_buggy.py"), ["Linear"])
    assert _failing(result) == {"Linear.out"}


def test_accumulated_gradients_are_flushed_before_the_backward_that_is_read():
    from harness.specs import CATALOG

    class Linear:
        def __init__(self, n_in, n_out):
            self.W, self.b = np.zeros((n_in, n_out)), np.zeros(n_out)
            self.dW, self.db = np.full((n_in, n_out), 5.0), np.full(n_out, 5.0)

        def forward(self, x):
            self.x = x
            return x @ self.W + self.b

        def backward(self, dout):
            self.dW += self.x.T @ dout
            self.db += dout.sum(0)
            return dout @ self.W.T

    spec = CATALOG["Linear"]
    case = spec.case(1, "float64")
    outcome = ClassesAdapter().run(Linear, spec, case)
    np.testing.assert_allclose(outcome.grads["W"], case.inputs["x"].T @ case.upstream)
    np.testing.assert_allclose(outcome.grads["b"], case.upstream.sum(0))




def test_a_cross_entropy_of_probabilities_is_checked_after_a_softmax(twin):
    """nnfs's Loss_CategoricalCrossentropy takes probabilities: read by behaviour (its
    value moves when a whole row does), never by its name."""
    good = run_check(STYLES / "nnfs_early.py", ["CrossEntropy", "Softmax"])
    assert good.passed, [c.explain() for c in good.checks if not c.passed][:3]
    bad = run_check(twin("styles/nnfs_early_buggy.py"), ["CrossEntropy"])
    assert _failing(bad) == {"CrossEntropy.dx"}


def test_mytorch_names_bw_bb_and_in_feature_pass_and_a_mean_shift_gradient_is_caught(twin):
    good = run_check(STYLES / "mytorch.py", ["Linear", "BatchNorm"])
    assert good.passed, [c.explain() for c in good.checks if not c.passed][:3]
    bad = run_check(twin("styles/mytorch_buggy.py"), ["Linear", "BatchNorm"])
    assert _failing(bad) == {"BatchNorm.dbeta"}


def test_an_optimizer_object_given_to_backward_receives_the_gradients(twin):
    good = run_check(STYLES / "optimizer.py", ["Linear", "Sigmoid"])
    assert good.adapter == "sgd"
    assert good.passed, [c.explain() for c in good.checks if not c.passed][:3]
    bad = run_check(twin("styles/optimizer_buggy.py"), ["Linear", "Sigmoid"])
    assert _failing(bad) == {"Linear.dx"}


def test_the_recording_optimizer_reads_parameter_and_gradient_dicts():
    from harness.adapters.sgd import RecordingOptimizer

    W, dW = np.ones((2, 3)), np.full((2, 3), 0.25)
    optimizer = RecordingOptimizer()
    assert optimizer.step({"W": W}, {"W": dW}) is None
    np.testing.assert_allclose(W, 0.75)
    np.testing.assert_allclose(optimizer.gradients({"W": W})["W"], dW)


def test_mytorch_batchnorm2d_keeps_its_parameters_shaped_1_c_1_1(twin):
    """Its BW / Bb broadcast over (N, C, H, W): installed in that shape, gradients read
    back flat (a false alarm on two real MyTorch HW2 solutions before)."""
    good = run_check(STYLES / "mytorch_bn2d.py", ["SpatialBatchNorm"])
    assert good.passed, [c.explain() for c in good.checks if not c.passed][:3]
    bad = run_check(twin("styles/mytorch_bn2d_buggy.py"), ["SpatialBatchNorm"])
    assert _failing(bad) == {"SpatialBatchNorm.dbeta"}


def test_a_backward_returning_dx_then_a_list_of_parameter_gradients(twin):
    good = run_check(STYLES / "grads_list.py", ["Linear", "ReLU"])
    assert good.passed, [c.explain() for c in good.checks if not c.passed][:3]
    bad = run_check(twin("styles/grads_list_buggy.py"), ["Linear", "ReLU"])
    assert _failing(bad) == {"Linear.db"}


def test_a_backward_that_takes_its_input_again_before_the_upstream_gradient(twin):
    good = run_check(STYLES / "input_again.py", ["Sigmoid", "Tanh"])
    assert good.passed, [c.explain() for c in good.checks if not c.passed][:3]
    bad = run_check(twin("styles/input_again_buggy.py"), ["Sigmoid", "Tanh"])
    assert _failing(bad) == {"Tanh.dx"}
