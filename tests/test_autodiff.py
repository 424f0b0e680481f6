"""Finding autodiff in a submission: the source scan, the run-time counts, the refusal."""

from __future__ import annotations

import json
import zipfile

import pytest

from harness import autodiff, rubric
from harness.errors import BackcheckError
from harness.outcome import Outcome
from harness.result import ERROR, PASS, Check, Result

LAYERS = frozenset({"Linear", "ReLU"})


def found(source: str) -> list[tuple[str, str]]:
    return [(f.layer, f.what) for f in autodiff.scan_source(source, "a.py", LAYERS)]


@pytest.mark.parametrize("source, what", [
    ("import torch\nclass Linear:\n    def backward(self, d):\n        torch.autograd.grad(1, 2)",
     "torch.autograd.grad"),
    ("from torch.autograd import grad as g\nclass Linear:\n    def backward(self, d):\n"
     "        return g(1, 2)", "torch.autograd.grad"),
    ("import torch as T\nclass Linear:\n    def backward(self, d):\n        T.autograd.backward(1)",
     "torch.autograd.backward"),
    ("import tensorflow as tf\nclass Linear:\n    def backward(self, d):\n"
     "        with tf.GradientTape() as t:\n            pass", "tensorflow.GradientTape"),
    ("from jax import grad\nclass Linear:\n    def backward(self, d):\n        return grad(f)",
     "jax.grad"),
    ("import torch\nclass Linear:\n    def backward(self, d):\n        self.out.backward()",
     "tensor.backward()"),
    ("import torch\nclass Linear:\n    def backward(self, d):\n        return self.x.grad",
     ".grad"),
    ("class Linear:\n    def forward(self, x):\n        self.x.requires_grad_()",
     ".requires_grad_"),
    ("import torch\nclass Linear:\n    def backward(self, d):\n"
     "        return getattr(torch, 'autograd')", "getattr('autograd')"),
])
def test_each_spelling_of_autodiff_is_found_in_its_layer(source, what):
    assert ("Linear", f"Linear.{source.split('def ')[1].split('(')[0]} uses {what}") in \
        found(source)


def test_hand_written_gradients_on_torch_tensors_are_not_flagged():
    source = ('"""Unlike autograd, by hand."""\nimport torch\n\nclass Linear:\n'
              "    def backward(self, dout):\n        grad_W = self.x.T @ dout\n"
              "        dloss = self.loss.backward()\n        print('no autograd here')\n"
              "        return {'W': grad_W, 'x': self.relu.backward(dout)}\n")
    assert found(source) == []


def test_code_outside_any_layer_is_flagged_without_a_layer():
    assert found("import jax\ndef helper(f):\n    return jax.grad(f)\n") == [
        ("", "helper uses jax.grad")]


def test_a_source_that_does_not_parse_has_no_findings():
    assert found("def (:\n") == []


def test_folders_notebooks_and_zips_are_scanned(tmp_path):
    cell = {"cell_type": "code", "metadata": {}, "source": ["import jax\n", "jax.grad(f)\n"]}
    (tmp_path / "hw.ipynb").write_text(json.dumps({"cells": [cell]}))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "layers.py").write_text("import jax\njax.vjp(f)\n")
    with zipfile.ZipFile(tmp_path / "sub.zip", "w") as archive:
        archive.writestr("inner/mod.py", "import jax\njax.jvp(f)\n")
    wheres = {f.where for path in ("hw.ipynb", "pkg", "sub.zip")
              for f in autodiff.scan(str(tmp_path / path), LAYERS)}
    assert wheres == {"hw.ipynb cell 1:2", "layers.py:2", "inner/mod.py:2"}


def test_run_time_counts_become_findings_of_their_layer_and_junk_is_ignored():
    outcomes = {"Linear-case0-float64": Outcome(None, observations={"autodiff": {"torch": 2}}),
                "Linear-case1-float64": Outcome(None, observations={"autodiff": {"torch": 1}}),
                "ReLU-case0-float64": Outcome(None, observations={"autodiff": "lots"}),
                "zzz": Outcome(None, observations={"autodiff": {"torch": 5}})}
    layers = {"Linear-case0-float64": "Linear", "Linear-case1-float64": "Linear",
              "ReLU-case0-float64": "ReLU"}
    (finding,) = autodiff.observed(layers, outcomes)
    assert finding.layer == "Linear" and "torch while running (3 calls)" in finding.what


def test_the_watch_counts_torch_autograd_however_it_is_reached():
    torch = pytest.importorskip("torch")
    from torch.autograd import grad

    watch = autodiff.Watch()
    watch.install()
    x = torch.ones(2, requires_grad=True)
    (x * x).sum().backward()
    grad((x * 3).sum(), x)
    assert watch.take() == {"torch.autograd": 2}
    assert watch.take() == {}


def result() -> Result:
    checks = [Check("Linear", 0, "float64", q, "fd", PASS) for q in ("out", "dx", "dW")]
    checks.append(Check("ReLU", 0, "float64", "dx", "fd", PASS))
    return Result("a.py", "native", checks)


def test_refusal_turns_only_the_flagged_layers_gradients_into_errors():
    finding = autodiff.Finding("Linear", "Linear.backward uses jax.grad", "a.py:3")
    refused = autodiff.refuse(result(), [finding, autodiff.Finding("", "top", "a.py:9")])
    verdicts = [(c.layer, c.quantity, c.verdict) for c in refused.checks]
    assert verdicts == [("Linear", "out", PASS), ("Linear", "dx", ERROR),
                        ("Linear", "dW", ERROR), ("ReLU", "dx", PASS)]
    assert "credit refused" in refused.checks[1].message and "a.py:3" in refused.checks[1].message


def test_flags_follow_the_policy():
    findings = [autodiff.Finding("Linear", "x", ""), autodiff.Finding("", "y", "")]
    assert autodiff.flags(findings, "allow") == []
    assert autodiff.flags(findings, "refuse") == ["Linear: uses autodiff (credit refused): x",
                                                  "submission: uses autodiff (look at it): y"]


def test_the_rubric_takes_the_policy_and_refuses_a_bad_one():
    assert rubric.parse("", "r.toml").autodiff == "flag"
    assert rubric.parse('[default]\nautodiff = "refuse"\n', "r.toml").autodiff == "refuse"
    with pytest.raises(BackcheckError, match="valid: allow, flag, refuse"):
        rubric.parse('[default]\nautodiff = "maybe"\n', "r.toml")
