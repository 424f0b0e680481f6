"""The registry: built-ins and entry points, options, local files and detection."""

from __future__ import annotations

import pytest

from harness import adapters
from harness.errors import BackcheckError, UsageError
from harness.loaders import load
from harness.specs import CATALOG


def test_every_built_in_is_registered_and_published_as_an_entry_point():
    from importlib.metadata import entry_points

    published = {ep.name: ep.value for ep in entry_points(group="backcheck.adapters")}
    assert published == adapters.BUILTIN
    assert [adapters.load(n).name for n in adapters.BUILTIN] == list(adapters.BUILTIN)


def test_unknown_adapters_and_options_on_plain_adapters_are_usage_errors():
    with pytest.raises(UsageError, match="unknown adapter 'nope'"):
        adapters.load("nope")
    with pytest.raises(UsageError, match="adapter 'native' takes no options"):
        adapters.load("native:loss_grad=sum")


def test_options_become_conventions():
    adapter = adapters.load("classes:bias=column")
    assert adapter.conventions.bias == "column"


@pytest.mark.parametrize(("fixture", "expected"), [
    ("seeds/sigmoid_calls_class.py", "classes"),
    ("seeds/xor_columnar.py", "columnar"),
    ("cs231n/layers.py", "cs231n"),
    ("sgd/stepping.py", "sgd"),
    ("classes/dense_numpy.py", "classes"),
])
def test_detection_picks_the_adapter_of_each_convention(submissions, fixture, expected):
    namespace = load(str(submissions / fixture)).namespace
    adapter, detection = adapters.choose(namespace)
    assert adapter.name == expected and detection.layers


def test_the_template_is_native_although_classes_matches_it_too():
    adapter, detection = adapters.choose(load("student_template").namespace)
    assert adapter.name == "native" and detection.layers == tuple(CATALOG)


def test_an_ambiguous_submission_names_the_candidates(submissions, tmp_path):
    mixed = tmp_path / "mixed.py"
    mixed.write_text((submissions / "cs231n" / "buggy.py").read_text() + "\n\n" +
                     (submissions / "classes" / "dense_buggy.py").read_text() +
                     "\n\nclass MSE:\n    def forward(self, x, t):\n        return x\n"
                     "    def backward(self):\n        return 1\n")
    with pytest.raises(UsageError) as caught:
        adapters.choose(load(str(mixed)).namespace)
    message = str(caught.value)
    assert "more than one adapter matches 3 layers" in message
    assert "cs231n: functions for Linear, ReLU, CrossEntropy" in message
    assert "classes: classes Dense as Linear, Relu as ReLU, MSE as MSELoss" in message
    assert "choose one with --adapter NAME" in message


def test_nothing_recognized_says_what_each_adapter_looked_for():
    _, detection = adapters.choose({"helper": len})
    assert detection.evidence.startswith("no adapter recognized a layer (native: classes")
    assert "cs231n: functions for none" in detection.evidence


def test_an_adapter_file_without_ADAPTER_is_bad_input(tmp_path):
    path = tmp_path / "adapter.py"
    path.write_text("x = 1\n")
    with pytest.raises(BackcheckError, match="defines no ADAPTER"):
        adapters.from_file(str(path))
