"""Rubrics: the built-in default, per-layer overrides, and one-line errors for typos."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness import rubric
from harness.errors import BackcheckError
from harness.specs import CATALOG

ROOT = Path(__file__).resolve().parents[2]


def test_default_grades_every_layer_with_every_quantity():
    default = rubric.load()
    assert default.layers == list(CATALOG)
    linear = default.rules["Linear"]
    assert linear.points == {"out": 1.0, "dx": 2.0, "dW": 1.0, "db": 1.0}
    assert linear.visible("dW", 2)
    assert default.max_points == sum(r.max_points for r in default.rules.values())


def test_network_parameters_get_parameter_points():
    rules = rubric.load().rules["XORNet"]
    assert rules.points == {"out": 1.0, "dW1": 1.0, "db1": 1.0, "dW2": 1.0, "db2": 1.0}


def test_overrides_scale_hide_and_choose_partial_credit():
    parsed = rubric.parse("""
        name = "course"
        salt = "s3cret"
        dtypes = ["float64"]
        layers = ["Linear"]
        [default]
        input = 4
        [layer.Linear]
        dW = 3
        points = 10
        hidden = ["db"]
        hidden_cases = [2]
        partial = "none"
        [layer.ReLU]
        dx = 5
    """, "course.toml")
    assert parsed.layers == ["Linear", "ReLU"]
    assert parsed.salt == "s3cret" and parsed.dtypes == ("float64",)
    linear = parsed.rules["Linear"]
    assert linear.max_points == pytest.approx(10)
    assert linear.points["dW"] == pytest.approx(10 * 3 / 9)
    assert not linear.visible("db", 0) and not linear.visible("dx", 2)
    assert linear.visible("dx", 1) and linear.partial == "none"
    assert parsed.rules["ReLU"].points == {"out": 1.0, "dx": 5.0}


@pytest.mark.parametrize(("text", "bad", "valid"), [
    ("[layer.Linnear]\nout = 1", "'Linnear'", "Linear, ReLU"),
    ('layers = ["Linear", "Relu"]', "'Relu'", "ReLU"),
    ("[layer.Linear]\ndw = 1", "'dw' in [layer.Linear]", "out, dx, dW, db"),
    ('[layer.Linear]\nhidden = ["dB"]', "'dB'", "out, dx, dW, db"),
    ("[default]\nparams = 1", "'params' in [default]", "out, input, param"),
    ("points = 3", "'points'", "version, name, salt"),
    ('dtypes = ["float16"]', "'float16'", "float32, float64"),
])
def test_unknown_names_are_errors_naming_the_key_and_the_valid_ones(text, bad, valid):
    with pytest.raises(BackcheckError) as raised:
        rubric.parse(text, "course.toml")
    message = str(raised.value)
    assert bad in message and valid in message and "course.toml" in message
    assert "\n" not in message


@pytest.mark.parametrize("text", [
    "version = 2", '[layer.Linear]\npartial = "some"', "[layer.Linear]\nout = -1",
    '[layer.Linear]\nout = "two"', "[layer.Linear]\nhidden_cases = [7]",
    "this is not toml", "layer = 3", 'hidden_visibility = "never"',
])
def test_bad_values_are_one_line_errors(text):
    with pytest.raises(BackcheckError) as raised:
        rubric.parse(text, "course.toml")
    assert "course.toml" in str(raised.value) and "\n" not in str(raised.value)


def test_default_hidden_cases_apply_where_a_layer_has_them():
    parsed = rubric.parse("layers = ['ReLU', 'XORNet']\n[default]\nhidden_cases = [3]", "r")
    assert len(CATALOG["ReLU"].variants) == 3 and len(CATALOG["XORNet"].variants) == 4
    assert parsed.rules["ReLU"].hidden_cases == frozenset()
    assert parsed.rules["XORNet"].hidden_cases == frozenset({3})


def test_missing_file_and_restrict():
    with pytest.raises(BackcheckError, match="rubric file not found"):
        rubric.load("/no/such/rubric.toml")
    small = rubric.load().restrict(["ReLU", "Linear"])
    assert small.layers == ["ReLU", "Linear"]
    with pytest.raises(BackcheckError, match="valid: ReLU, Linear"):
        small.restrict(["Conv2d"])


def test_gradescope_visibility_of_hidden_checks():
    assert rubric.load().hidden_visibility == "hidden"
    parsed = rubric.parse('hidden_visibility = "after_published"', "r")
    assert parsed.hidden_visibility == "after_published"


def test_digest_follows_the_text():
    assert rubric.parse("name = 'a'", "r").digest != rubric.parse("name = 'b'", "r").digest


WRONG_TYPES = [
    ('version = "1"', "version"), ("version = true", "version"), ("name = 1", "name"),
    ("salt = [1]", "salt"), ('dtypes = "float64"', "dtypes"), ("dtypes = [1]", "dtypes"),
    ('layers = "Linear"', "layers"), ("layers = [[1]]", "layers"),
    ("hidden_visibility = 1", "hidden_visibility"), ("default = 1", "[default]"),
    ("layer = 1", "[layer]"), ("layer = {Linear = 3}", "[layer.Linear]"),
    ('[default]\nout = "1"', "out = '1' in [default]"),
    ("[default]\ninput = [2]", "input = [2] in [default]"),
    ("[default]\nparam = {x = 1}", "param = {'x': 1} in [default]"),
    ("[default]\npartial = 1", "partial = 1 in [default]"),
    ('[layer.Linear]\npoints = "10"', "points = '10' in [layer.Linear]"),
    ("[layer.Linear]\npoints = inf", "points = inf in [layer.Linear]"),
    ("[layer.Linear]\npoints = nan", "points = nan in [layer.Linear]"),
    ("[layer.Linear]\nout = [1]", "out = [1] in [layer.Linear]"),
    ("[layer.Linear]\ndW = {}", "dW = {} in [layer.Linear]"),
    ('[layer.Linear]\nhidden = "db"', "hidden = 'db' in [layer.Linear]"),
    ("[layer.Linear]\nhidden = 1", "hidden = 1 in [layer.Linear]"),
    ("[layer.Linear]\nhidden = [1]", "hidden = [1] in [layer.Linear]"),
    ('[layer.Linear]\nhidden_cases = "2"', "hidden_cases = '2' in [layer.Linear]"),
    ("[layer.Linear]\npartial = []", "partial = [] in [layer.Linear]"),
]


DEFAULT_CASES = ['"2"', "2", "[true]", "[1.5]", "[-1]", "{a = 1}"]
"""``[default] hidden_cases`` values that hung the loader (its hint printed range(1 << 30))."""


@pytest.mark.parametrize(("text", "named"), WRONG_TYPES)
def test_every_key_of_the_wrong_type_is_a_one_line_error_naming_it(text, named):
    with pytest.raises(BackcheckError) as raised:
        rubric.parse(text, "course.toml")
    message = str(raised.value)
    assert "\n" not in message and "course.toml" in message and named in message


def test_default_hidden_cases_of_the_wrong_type_fail_in_milliseconds():
    """In a child process with a deadline: the old loader never returned."""
    script = (
        "import time; from harness import rubric; from harness.errors import BackcheckError\n"
        f"for value in {DEFAULT_CASES!r}:\n"
        "    start = time.perf_counter()\n"
        "    try:\n"
        "        rubric.parse('[default]\\nhidden_cases = ' + value, 'course.toml')\n"
        "    except BackcheckError as exc:\n"
        "        print(round(time.perf_counter() - start, 3), exc)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and len(lines) == len(DEFAULT_CASES), done.stderr
    for line in lines:
        seconds, message = line.split(" ", 1)
        assert float(seconds) < 0.05
        assert "hidden_cases" in message and "[default]" in message and "integers" in message


def test_the_class_conventions_and_unsupported_policy_are_read():
    course = rubric.parse('version = 1\nname = "c"\nadapter = "classes:targets=onehot"\n'
                          'cases = ["Conv2d:padding=0"]\n[default]\nunsupported = "exclude"\n',
                          "course.toml")
    assert course.adapter == "classes:targets=onehot"
    assert course.cases == ("Conv2d:padding=0",)
    assert course.unsupported == "exclude"
    default = rubric.load()
    assert (default.adapter, default.cases, default.unsupported) == ("", (), "award")


@pytest.mark.parametrize(("text", "words"), [
    ('adapter = "classes:targets=one-hot"', "course.toml: adapter = 'classes:targets=one-hot'"
                                            ": adapter option targets='one-hot' is not valid"),
    ('adapter = "clases"', "course.toml: adapter = 'clases': unknown adapter 'clases'"),
    ("adapter = 3", "course.toml: adapter = 3 is not a string"),
    ('cases = ["Conv2d:strde=1"]', "course.toml: cases: --cases 'Conv2d:strde=1'"),
    ('cases = "Conv2d:padding=0"', "course.toml: cases = 'Conv2d:padding=0' is not a list"),
    ('[default]\nunsupported = "drop"', "course.toml: unsupported = 'drop' in [default]; "
                                        "valid: award, exclude"),
])
def test_a_bad_convention_key_names_the_rubric(text, words):
    with pytest.raises(BackcheckError) as caught:
        rubric.parse(f'version = 1\nname = "c"\n{text}\n', "course.toml")
    assert str(caught.value).startswith(words), str(caught.value)
