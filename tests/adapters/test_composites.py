"""CMU 11-785 MyTorch's composite layers and recurrent cells, read by the ``classes``
adapter: parameters on a sub-layer, upsample-then-convolve transposed convolutions,
torch-layout cell pieces and one-sample cells. Each correct fixture passes in process
and in the sandbox, and grades full marks; each one-bug twin fails only where its bug is.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from adapter_checks import run_check

from harness import engine, grading, isolation, specs
from harness import rubric as rubrics
from harness.adapters import cells, sublayers, upsampled
from harness.sandbox.limits import Limits
from harness.target import Target
from reference.conv import ConvTranspose1d

STYLES = Path(__file__).resolve().parents[1] / "fixtures" / "styles"
CONV = ["Conv1d", "ConvTranspose1d"]
CELLS = ["RNNCell", "GRUCell"]
CELL_OPTIONS = "classes:RNNCell.param_grads=per-sample,GRUCell.unbatched"
CONV_OPTIONS = "classes:ConvTranspose1d.upsampled"
STYLE_RUNS = {"wrapped_conv": (CONV, CONV_OPTIONS), "torch_cells": (CELLS, CELL_OPTIONS)}
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")


def _wrong(result) -> set[str]:
    """Checks that failed or erred (unsupported cases are neither)."""
    return {f"{c.layer}.{c.quantity}" for c in result.checks
            if c.verdict not in ("pass", "unsupported")}


def _ran(result) -> set[str]:
    return {c.layer for c in result.checks if c.verdict == "pass"}


@pytest.mark.parametrize("style", list(STYLE_RUNS))
def test_the_composite_styles_pass_every_case_they_can_express(style):
    layers, adapter = STYLE_RUNS[style]
    result = run_check(STYLES / f"{style}.py", layers, adapter)
    assert _wrong(result) == set(), [c.explain() for c in result.checks if not c.passed][:3]
    assert _ran(result) == set(layers)


def test_a_kernel_left_unflipped_in_the_unit_convolution_fails_dx_of_both_wrappers(twin):
    result = run_check(twin("styles/wrapped_conv_buggy.py"), CONV, CONV_OPTIONS)
    assert _wrong(result) == {"Conv1d.dx", "ConvTranspose1d.dx"}


def test_a_gru_that_forgets_the_reset_gate_fails_only_its_recurrent_gradients(twin):
    result = run_check(twin("styles/torch_cells_buggy.py"), CELLS, CELL_OPTIONS)
    assert _wrong(result) == {"GRUCell.dprev_h", "GRUCell.dWh", "GRUCell.dbh"}


def test_an_upsample_then_convolve_transposed_conv_runs_only_padding_kernel_minus_one():
    result = run_check(STYLES / "wrapped_conv.py", ["ConvTranspose1d"], CONV_OPTIONS,
                       dtypes=("float64",))
    run = {c.case for c in result.checks if c.verdict == "pass"}
    spec = specs.CATALOG["ConvTranspose1d"]
    assert run == {i for i, v in enumerate(spec.variants)
                   if v["padding"] == v["kernel"][0] - 1}
    skipped = [c.message for c in result.checks if c.verdict == "unsupported"]
    assert skipped and all("padding = kernel - 1" in m for m in skipped)


def test_undeclared_cells_are_told_which_options_they_need():
    result = run_check(STYLES / "torch_cells.py", CELLS, "classes", dtypes=("float64",))
    gru = {c.message for c in result.checks if c.layer == "GRUCell"}
    assert any("classes:GRUCell.unbatched" in m for m in gru), gru
    rnn = {c.hint for c in result.checks if c.layer == "RNNCell" and c.quantity == "dWx"}
    assert any("one over the batch size" in h for h in rnn), rnn


def test_an_undeclared_upsampling_factor_names_the_option():
    result = run_check(STYLES / "wrapped_conv.py", ["ConvTranspose1d"], "classes",
                       dtypes=("float64",))
    messages = {c.message for c in result.checks}
    assert messages and all("classes:ConvTranspose1d.upsampled" in m for m in messages)


@needs_fork
@pytest.mark.parametrize("style", list(STYLE_RUNS))
def test_the_sandbox_and_grade_agree_with_the_check_in_process(style, twin):
    layers, adapter = STYLE_RUNS[style]
    sandbox = isolation.executor("process", Limits(timeout=20.0, memory_mb=1024))
    rubric = rubrics.load().restrict(layers)
    for path in (STYLES / f"{style}.py", twin(f"styles/{style}_buggy.py")):
        target = Target(str(path), adapter)
        inside = engine.check(target, specs.select(layers), ["float64"], ["fd"])
        outside = engine.check(target, specs.select(layers), ["float64"], ["fd"],
                               executor=sandbox)
        assert _wrong(outside) == _wrong(inside)
        graded = grading.grade(outside, rubric)
        assert (graded.points == graded.max_points) == (not path.stem.endswith("_buggy"))


# --- the pieces ---------------------------------------------------------------------------


class _Layer:
    def __init__(self, **attrs):
        vars(self).update(attrs)

    def forward(self, x):
        return x

    def backward(self, d):
        return d


def test_a_parameter_is_found_down_the_one_sub_layer_that_holds_it():
    unit = _Layer(W=np.zeros((2, 2)))
    outer = _Layer(sampler=_Layer(factor=2), inner=_Layer(unit=unit))
    assert sublayers.holder(outer, ("W",)) == (unit, "W")


def test_two_sub_layers_with_a_weight_each_are_a_network_not_one_layer():
    outer = _Layer(first=_Layer(W=np.zeros(2)), second=_Layer(W=np.zeros(2)))
    assert sublayers.holder(outer, ("W",)) is None


def test_the_swapped_flipped_kernel_makes_upsample_then_convolve_the_catalogs_function():
    """Zero insertion by s, then a stride-1 valid cross-correlation with the library's
    kernel, equals torch's transposed convolution (stride s, padding K - 1) with ours."""
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(3, 2, 3)), rng.normal(size=2)
    spread = np.zeros((2, 3, 7))
    spread[:, :, ::2] = x
    theirs = upsampled._swap_flip(W)
    mine = np.stack([np.einsum("nck,ock->no", spread[:, :, i:i + 3], theirs)
                     for i in range(5)], axis=2) + b[None, :, None]
    np.testing.assert_allclose(mine, ConvTranspose1d(W, b, stride=2, padding=2).forward(x))
    np.testing.assert_allclose(upsampled._swap_flip(theirs), W)


def test_gate_pieces_go_in_transposed_and_their_gradients_come_back_joined():
    class Cell:
        Wrx, Wzx, Wnx = (np.zeros((4, 3)) for _ in range(3))

    cell = Cell()
    ours = np.arange(36.0).reshape(3, 12)
    split = cells.find(cell, "GRUCell", "Wx", {"Wx": ours})
    split.install(ours, np.array)
    np.testing.assert_array_equal(cell.Wzx, ours[:, 4:8].T)
    for gate in ("r", "z", "n"):
        setattr(cell, f"dW{gate}x", getattr(cell, f"W{gate}x") * 2)
    joined = split.gradient(lambda obj, spellings: getattr(obj, spellings[1], None))
    np.testing.assert_array_equal(joined, ours * 2)


def test_a_cell_that_keeps_its_own_state_is_not_sized_into_a_false_alarm():
    """numpy-ml's ``RNNCell(n_out)`` takes no ``prev_h``: sizing it from the case would
    only run a forward the case cannot be given, charged on correct code."""

    class RNNCell:
        def __init__(self, n_out):
            self.n_out = n_out

        def forward(self, X):
            return X

        def backward(self, dLdA):
            return dLdA

    from harness.adapters.classes import ClassesAdapter

    spec = specs.CATALOG["RNNCell"]
    outcome = ClassesAdapter().run(RNNCell, spec, spec.case(0, "float64"))
    assert outcome.error.message.startswith("cannot construct RNNCell")
    assert "unbatched" not in outcome.error.message
