"""The sequence layers in the CS231n function style and in class libraries' styles."""

from __future__ import annotations

import numpy as np
from adapter_checks import run_check, verdicts

from harness.adapters.cs231n import CS231nAdapter
from harness.loaders import load

SEQUENCES = ["RNNCell", "RNN", "LSTMCell", "LSTM", "GRUCell", "TemporalAffine",
             "TemporalSoftmaxLoss"]


def test_cs231n_rnn_layers_are_recognized_and_pass(submissions):
    path = submissions / "cs231n" / "rnn_layers.py"
    detection = CS231nAdapter().detect(load(str(path)).namespace)
    assert set(detection.layers) == set(SEQUENCES)
    result = run_check(path, SEQUENCES)
    assert result.adapter == "cs231n"
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]
    assert {c.layer for c in result.checks} == set(SEQUENCES)


def test_an_lstm_step_that_forgets_dnext_c_fails_only_its_gradients(submissions, tmp_path):
    source = (submissions / "cs231n" / "rnn_layers.py").read_text()
    broken = source.replace("dc = dnext_c + dnext_h", "dc = dnext_h")
    assert broken != source
    path = tmp_path / "rnn_layers.py"
    path.write_text(broken)
    found = verdicts(run_check(path, ["LSTMCell"], dtypes=("float64",)))
    assert found["LSTMCell.out"] == {"pass"}
    assert found["LSTMCell.dprev_c"] == {"fail"} and found["LSTMCell.dx"] == {"fail"}


def test_an_lstm_step_returning_outputs_of_two_shapes_is_a_bad_return(tmp_path):
    path = tmp_path / "rnn_layers.py"
    path.write_text("import numpy as np\n"
                    "def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):\n"
                    "    return prev_h, prev_c[:, :1], None\n"
                    "def lstm_step_backward(dnext_h, dnext_c, cache):\n"
                    "    return (None,) * 6\n")
    result = run_check(path, ["LSTMCell"], dtypes=("float64",))
    assert {c.verdict for c in result.checks} == {"error"}
    assert "expected arrays of one shape" in result.checks[0].message


def test_library_classes_for_sequences_pass(submissions):
    path = submissions / "classes" / "recurrent.py"
    layers = ["RNNCell", "RNN", "GRUCell", "TemporalAffine", "TemporalSoftmaxLoss"]
    result = run_check(path, layers)
    assert result.adapter == "classes"
    assert {c.layer for c in result.checks} == set(layers)
    assert result.passed, [c.explain() for c in result.checks if not c.passed][:3]


def test_a_boolean_mask_reaches_a_program_as_numbers():
    from harness.adapters.protocol import array_line

    assert array_line("mask", np.array([[True, False]])) == "array mask 2 1 2 1 0"
