"""The catalog's specs: order, well-formedness, reproducibility, and draws away from kinks."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from harness.case import DTYPES
from harness.specs import CATALOG
from harness.specs.attention import SCORE_SPAN
from harness.specs.networks import XOR_CORNERS
from harness.specs.sampling import KINK_GAP

SPECS = list(CATALOG.values())
SALTS = [f"draw-{i}" for i in range(30)]


def salted_cases(name: str, dtype: str):
    """Every case of a spec under each of the test salts."""
    return [case for salt in SALTS for case in CATALOG[name].cases(dtype, salt)]


def test_catalog_order():
    assert list(CATALOG) == [
        "Linear", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "GELU", "SiLU", "ELU",
        "Softplus", "Identity", "MSELoss", "BCELoss", "CrossEntropy", "SVMLoss", "LayerNorm",
        "BatchNorm", "SpatialBatchNorm", "GroupNorm", "Conv1d", "Conv2d",
        "ConvTranspose1d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d",
        "MaxPool1d", "AvgPool1d", "Upsample1d", "Upsample2d", "Downsample1d", "Downsample2d",
        "Dropout", "Flatten", "Embedding", "RNNCell", "RNN", "LSTMCell", "LSTM",
        "GRUCell", "TemporalAffine", "TemporalSoftmaxLoss", "Attention", "MultiHeadAttention",
        "LinearRegression", "RegressionMLP", "XORNet", "TwoLayerNet", "SigmoidNet",
    ]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_spec_is_well_formed(spec):
    assert set(spec.wrt) <= {*spec.inputs, *spec.params}
    assert spec.doc and isinstance(spec.reference_class(), type)
    assert len(spec.variants) >= 3
    for case in spec.cases("float64"):
        assert tuple(case.inputs) == spec.inputs
        assert tuple(case.params) == spec.params
    if spec.kind == "network":
        assert spec.inputs == ("x", "target") and spec.wrt == spec.params
    if spec.kind != "layer":
        assert spec.case(0, "float32").upstream.shape == ()


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_cases_are_reproducible_and_salted(spec):
    first, again = spec.case(1, "float64"), spec.case(1, "float64")
    salted = spec.case(1, "float64", salt="another course")
    for name, value in first.arrays().items():
        assert_array_equal(value, again.arrays()[name])
    assert_array_equal(first.upstream, again.upstream)
    assert any(not np.array_equal(v, salted.arrays()[k]) for k, v in first.arrays().items())


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_cases_stay_small_enough_to_finite_difference(spec):
    # The fd oracle calls forward four times per differentiated element.
    for case in spec.cases("float64"):
        assert sum(case.arrays()[name].size for name in spec.wrt) <= 400, case.id


def test_every_layer_but_batch_norm_has_a_batch_of_one():
    for spec in SPECS:
        sizes = {len(next(iter(case.inputs.values()))) for case in spec.cases("float64")}
        assert (1 in sizes) == (spec.name != "BatchNorm"), spec.name


def test_integer_targets_stay_integer_in_float32():
    case = CATALOG["CrossEntropy"].case(1, "float32")
    assert case.inputs["target"].dtype == np.int64
    assert case.inputs["x"].dtype == np.float32


@pytest.mark.parametrize(("name", "dtype"), list(product(["ReLU", "LeakyReLU", "ELU"], DTYPES)))
def test_relu_inputs_keep_away_from_the_kink(name, dtype):
    for case in salted_cases(name, dtype):
        assert np.abs(case.inputs["x"]).min() >= KINK_GAP * 0.999, case.id


@pytest.mark.parametrize(("name", "dtype"),
                         list(product(["RegressionMLP", "XORNet", "TwoLayerNet"], DTYPES)))
def test_network_pre_activations_keep_away_from_the_kink(name, dtype):
    for case in salted_cases(name, dtype):
        pre = case.inputs["x"] @ case.params["W1"] + case.params["b1"]
        assert np.abs(pre).min() >= KINK_GAP * 0.999, case.id


def test_max_pool_windows_have_one_clear_maximum():
    for case in salted_cases("MaxPool2d", "float32"):
        x, k, s = case.inputs["x"], case.config["kernel_size"], case.config["stride"]
        view = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s]
        top = np.sort(view.reshape(*view.shape[:4], -1), axis=-1)
        assert (top[..., -1] - top[..., -2]).min() > 0.01, case.id


def test_max_pool1d_windows_have_one_clear_maximum():
    for case in salted_cases("MaxPool1d", "float32"):
        x, k, s = case.inputs["x"], case.config["kernel_size"], case.config["stride"]
        top = np.sort(np.lib.stride_tricks.sliding_window_view(x, k, axis=2)[:, :, ::s], axis=-1)
        assert (top[..., -1] - top[..., -2]).min() > 0.01, case.id


def test_resampling_cases_show_a_dropped_tail_and_every_factor():
    """A downsample whose input width is not k·(L_out - 1) + 1 catches a backward that
    rebuilds the width from dout; factors 2 and 3 catch a hard-coded factor."""
    for name, key in (("Downsample1d", "downsampling_factor"),
                      ("Upsample1d", "upsampling_factor")):
        factors = {v[key] for v in CATALOG[name].variants}
        assert factors == {2, 3}, name
    ragged = [v for v in CATALOG["Downsample1d"].variants
              if (v["size"][0] - 1) % v["downsampling_factor"]]
    assert ragged


def test_normalized_slices_have_a_clear_spread():
    for name, axis in (("LayerNorm", 1), ("BatchNorm", 0)):
        for case in salted_cases(name, "float64"):
            assert case.inputs["x"].std(axis=axis).min() >= 0.5, case.id


def test_spatial_normalization_slices_have_a_clear_spread():
    for case in salted_cases("SpatialBatchNorm", "float64"):
        assert case.inputs["x"].std(axis=(0, 2, 3)).min() >= 0.5, case.id
    for case in salted_cases("GroupNorm", "float64"):
        x, groups = case.inputs["x"], case.config["G"]
        grouped = x.reshape(len(x), groups, -1)
        assert grouped.shape[-1] >= 8 and grouped.std(axis=-1).min() >= 0.5, case.id


def test_svm_margins_keep_away_from_the_hinge():
    for case in salted_cases("SVMLoss", "float64"):
        x, target = case.inputs["x"], case.inputs["target"]
        rows = np.arange(len(target))
        margins = x - x[rows, target][:, None] + 1.0
        margins[rows, target] = np.inf
        assert np.abs(margins).min() >= KINK_GAP, case.id


def test_loss_inputs_are_in_range():
    for case in salted_cases("BCELoss", "float64"):
        x, target = case.inputs["x"], case.inputs["target"]
        assert x.min() >= 0.05 and x.max() <= 0.95
        assert target.min() >= 0 and target.max() <= 1
    for case in salted_cases("CrossEntropy", "float64"):
        assert case.inputs["target"].min() >= 0
        assert case.inputs["target"].max() < case.inputs["x"].shape[1]


def test_dropout_masks_are_zero_or_one_and_not_differentiated():
    spec = CATALOG["Dropout"]
    assert spec.wrt == ("x",)
    masks = [case.inputs["mask"] for case in salted_cases("Dropout", "float64")]
    values = np.concatenate([m.ravel() for m in masks])
    assert set(np.unique(values)) == {0.0, 1.0}


def test_network_data_follow_their_lines():
    for name, slope, intercept in (("LinearRegression", 3, 2), ("RegressionMLP", 2, 1)):
        for case in CATALOG[name].cases("float64"):
            x = case.inputs["x"]
            assert_array_equal(case.inputs["target"], slope * x + intercept)


def test_xor_targets_are_xor_of_the_nearest_corner():
    for case in CATALOG["XORNet"].cases("float64"):
        corner = np.round(case.inputs["x"])
        assert np.isin(corner, XOR_CORNERS).all()
        assert_array_equal(case.inputs["target"][:, 0], corner[:, 0] != corner[:, 1])


# --- sequences: RNN, LSTM, GRU, temporal affine and softmax loss ----------------------

RECURRENT = ["RNNCell", "RNN", "LSTMCell", "LSTM", "GRUCell"]


@pytest.mark.parametrize(("name", "dtype"), list(product(RECURRENT, DTYPES)))
def test_recurrent_pre_activations_stay_out_of_saturation(name, dtype):
    from harness.specs.recurrent import SATURATION, STEP_FUNCTIONS, pre_activations

    for case in salted_cases(name, dtype):
        arrays = {k: np.asarray(v, np.float64) for k, v in case.arrays().items()}
        seen = pre_activations(STEP_FUNCTIONS[name], arrays, arrays)
        assert np.abs(seen).max() <= SATURATION * (1 + 1e-6), case.id


@pytest.mark.parametrize("name", ["RNN", "LSTM"])
def test_the_gradient_reaching_the_first_step_neither_vanishes_nor_explodes(name):
    """Only the last state gets an upstream gradient: what reaches h0 keeps a fair share
    of its size, so a backprop-through-time bug cannot hide below the tolerance."""
    spec = CATALOG[name]
    for case in salted_cases(name, "float64"):
        layer = spec.reference_class()(**case.params)
        out = layer.forward(case.inputs["x"], case.inputs["h0"])
        dout = np.zeros_like(out)
        dout[:, -1] = case.upstream[:, -1]
        ratio = np.abs(layer.backward(dout)["h0"]).max() / np.abs(dout).max()
        assert 1e-3 < ratio < 1.0, (case.id, ratio)


def test_temporal_masks_keep_and_drop_a_step_and_targets_are_in_range():
    for case in salted_cases("TemporalSoftmaxLoss", "float64"):
        mask, target, x = (case.inputs[k] for k in ("mask", "target", "x"))
        assert mask.dtype == bool and mask.any() and not mask.all(), case.id
        assert target.min() >= 0 and target.max() < x.shape[2], case.id


def _score_spans(q, k, causal):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    keep = np.tril(np.ones(scores.shape[-2:], bool)) if causal else np.ones(scores.shape[-2:], bool)
    return (np.where(keep, scores, -np.inf).max(-1) - np.where(keep, scores, np.inf).min(-1))


def _heads(x, W, b, h):
    n, t, e = x.shape
    return (x @ W + b).reshape(n, t, h, e // h).transpose(0, 2, 1, 3)


def test_attention_scores_do_not_saturate_the_softmax():
    for case in salted_cases("Attention", "float64"):
        q, k = case.inputs["q"], case.inputs["k"]
        assert _score_spans(q, k, case.config["causal"]).max() <= SCORE_SPAN, case.id
    for case in salted_cases("MultiHeadAttention", "float64"):
        h, p = case.config["num_heads"], case.params
        q = _heads(case.inputs["query"], p["Wq"], p["bq"], h)
        k = _heads(case.inputs["key"], p["Wk"], p["bk"], h)
        assert _score_spans(q, k, case.config["causal"]).max() <= SCORE_SPAN, case.id


def test_attention_has_causal_and_unmasked_cases_and_causal_ones_are_square():
    for name, (tq, tk) in (("Attention", ("Tq", "Tk")), ("MultiHeadAttention", ("S", "T"))):
        variants = CATALOG[name].variants
        assert {v["causal"] for v in variants} == {True, False}
        assert all(v[tq] == v[tk] for v in variants if v["causal"])
        assert any(v[tq] != v[tk] for v in variants)
