"""numpy-ml's recurrent layers and Dropout wrapper (issue #12), through the corpus's own
adapter file ``benchmarks/adapters/numpy_ml.py``: a correct library in numpy-ml's style
(``tests/fixtures/corpus/stateful_lib``) passes every check in process and sandboxed and
earns full marks; each one-bug edit of it fails in the layer it breaks, and only there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmarks import corpus
from harness import cli

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "tests" / "fixtures" / "corpus" / "stateful_lib"
ADAPTER_FILE = ROOT / "benchmarks" / "adapters" / "numpy_ml.py"
LAYERS = "Linear,RNNCell,LSTMCell,RNN,LSTM,Dropout"
MAX_LINES = 30
"""What issue #12 allows an adapter file."""

BUGS = {
    # name: (module, old text, new text, the layers that must fail, a quantity failing)
    "rnncell-dWh-from-the-new-state": (
        "layers.py", 'g["Waa"] += d["A"][t].T @ dZ', 'g["Waa"] += d["A"][t + 1].T @ dZ',
        {"RNNCell", "RNN"}, "RNNCell.dWh"),
    "rnncell-dbx-forgotten": (
        "layers.py", 'g["bx"] += dZ.sum', 'g["bx"] += 0 * dZ.sum', {"RNNCell", "RNN"},
        "RNNCell.db"),
    "lstmcell-dprev_c-without-the-forget-gate": (
        "layers.py", 'd["dLdC_accumulator"] = Gf * dC', 'd["dLdC_accumulator"] = dC',
        {"LSTMCell", "LSTM"}, "LSTMCell.dprev_c"),
    "rnn-dx-in-reverse-time": (
        "layers.py", "return np.dstack(dX[::-1])", "return np.dstack(dX)", {"RNN"}, "RNN.dx"),
    "lstm-outputs-the-cell-state": (
        "layers.py", "At, _ = self.cell.forward", "_, At = self.cell.forward", {"LSTM"},
        "LSTM.out"),
    "dropout-backward-without-the-mask": (
        "wrappers.py", "dLdy * mask / (1.0 - self.p)", "dLdy / (1.0 - self.p)", {"Dropout"},
        "Dropout.dx"),
    "dropout-scales-dout-in-place": (
        "wrappers.py", "return self._base_layer.backward(dLdy * mask / (1.0 - self.p)",
        "dLdy *= mask / (1.0 - self.p)\n        return self._base_layer.backward(dLdy",
        {"Dropout"}, "Dropout.dx"),
    "linear-db-averaged": (
        "layers.py", 'g_b = "sum"', 'g_b = "mean"', {"Linear"}, "Linear.db"),
}


def run_check(capsys, path: Path, isolation: str = "none") -> list[dict]:
    """``backcheck check PATH --adapter-file numpy_ml.py --json``: its checks."""
    cli.main(["check", str(path), "--oracles", "fd", "--layers", LAYERS, "--dtype", "float64",
              "--json", "--isolation", isolation, "--adapter-file", str(ADAPTER_FILE)])
    return json.loads(capsys.readouterr().out)["checks"]


def failing(checks: list[dict]) -> dict[str, list[str]]:
    """``"Layer.quantity"`` -> its failing cases as the terminal report shows them: the
    check's id (``Dropout-case0-dx-fd``), its message and hint."""
    found: dict[str, list[str]] = {}
    for c in checks:
        if c["verdict"] != "pass":
            found.setdefault(f"{c['layer']}.{c['quantity']}", []).append(
                f"{c['id']} {c['message']} {c.get('hint', '')}")
    return found


def edited(tmp_path: Path, bug: str) -> Path:
    """A copy of the correct library with the one edit of ``BUGS[bug]``."""
    module, old, new, _, _ = BUGS[bug]
    copy = tmp_path / "stateful_lib"
    shutil.copytree(LIBRARY, copy)
    text = (copy / module).read_text()
    assert old in text, f"{module}: edit target {old!r} not found"
    (copy / module).write_text(text.replace(old, new, 1))
    return copy


def test_the_adapter_file_is_within_the_issues_limit():
    entry = corpus.Entry("ddbourgin/numpy-ml", "", "", (), "", (), adapter_file=ADAPTER_FILE.name)
    assert 0 < corpus.adapter_lines(ADAPTER_FILE.parent, entry) <= MAX_LINES


def test_the_corpus_entry_uses_the_adapter_file_by_default():
    entry = next(e for e in corpus.read_manifest(corpus.MANIFEST) if e.repo == "ddbourgin/numpy-ml")
    assert (corpus.ADAPTERS / entry.adapter_file) == ADAPTER_FILE and not entry.adapter
    cmd = corpus.command(Path("/out"), corpus.ADAPTERS, entry, "fd", detect=False)
    assert cmd[cmd.index("--adapter-file") + 1] == str(ADAPTER_FILE)
    assert "--cases" in cmd


@pytest.mark.parametrize("isolation", ["none", "process"])
def test_the_correct_library_passes_every_check(isolation, capsys):
    checks = run_check(capsys, LIBRARY, isolation)
    assert {c["layer"] for c in checks} == set(LAYERS.split(","))
    assert failing(checks) == {}


@pytest.mark.slow
def test_the_correct_library_earns_full_marks(tmp_path, capsys):
    cli.main(["grade", str(LIBRARY), "--oracles", "fd", "--layers", LAYERS, "--dtype",
              "float64", "--format", "json", "--out", str(tmp_path), "--adapter-file",
              str(ADAPTER_FILE)])
    capsys.readouterr()
    report = json.loads((tmp_path / "grade.json").read_text())
    assert report["score"] == report["max_score"] > 0


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_each_bug_fails_in_its_own_layer_only(bug, tmp_path, capsys):
    _, _, _, layers, quantity = BUGS[bug]
    failed = failing(run_check(capsys, edited(tmp_path, bug)))
    assert {k.split(".")[0] for k in failed} == layers, failed
    assert quantity in failed
    assert all(m.startswith(f"{k.split('.')[0]}-") for k, ms in failed.items() for m in ms)
    assert not any(ADAPTER_FILE.name in m for ms in failed.values() for m in ms), (
        "a failure placed in the adapter file, not the library")


@pytest.mark.slow
def test_a_bug_is_caught_the_same_sandboxed(tmp_path, capsys):
    buggy = edited(tmp_path, "lstmcell-dprev_c-without-the-forget-gate")
    assert failing(run_check(capsys, buggy, "process")).keys() == failing(
        run_check(capsys, buggy)).keys()


def test_dout_scaled_in_place_by_the_backward_is_charged_to_the_backward(tmp_path, capsys):
    failed = failing(run_check(capsys, edited(tmp_path, "dropout-scales-dout-in-place")))
    assert set(failed) == {"Dropout.dx"}
    assert any("backward modified dout in place" in m for m in failed["Dropout.dx"])
