"""results.json against Gradescope's autograder specification.

The schema below is written from https://gradescope-autograders.readthedocs.io/en/
latest/specs/#output-format: the documented top-level keys (``score``, ``execution_time``
in seconds, ``output``, ``output_format``, ``test_output_format``, ``test_name_format``,
``visibility``, ``stdout_visibility``, ``extra_data``, ``tests``, ``leaderboard``), the
keys of a test (``score``, ``max_score``, ``status``, ``name``, ``name_format``,
``number``, ``output``, ``output_format``, ``tags``, ``visibility``, ``extra_data``),
visibility one of hidden/after_due_date/after_published/visible, status passed/failed,
formats text/html/simple_format/md/ansi, and "score" required at the top level unless
every test has one.
"""

from __future__ import annotations

import json

import pytest

from harness import rubric
from harness.grading import crashed
from harness.points import exact, pair
from harness.reports import gradescope

jsonschema = pytest.importorskip("jsonschema")

VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
NUMBER = {"type": "number"}
TEST = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": NUMBER, "max_score": NUMBER, "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"}, "name_format": FORMAT, "number": {"type": "string"},
        "output": {"type": "string"}, "output_format": FORMAT,
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": VISIBILITY, "extra_data": {"type": "object"},
    },
}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": NUMBER, "execution_time": {"type": "integer", "minimum": 0},
        "output": {"type": "string"}, "output_format": FORMAT, "test_output_format": FORMAT,
        "test_name_format": FORMAT, "visibility": VISIBILITY, "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"}, "tests": {"type": "array", "items": TEST},
        "leaderboard": {"type": "array"},
    },
    "anyOf": [{"required": ["score"]},
              {"properties": {"tests": {"items": {"required": ["score"]}}},
               "required": ["tests"]}],
}


def validate(results: dict) -> None:
    jsonschema.validate(json.loads(json.dumps(results, allow_nan=False)), SCHEMA)


def test_schema_rejects_what_the_specification_does_not_allow():
    with pytest.raises(jsonschema.ValidationError):
        validate({"score": 1, "tests": [{"score": 1, "visibility": "public"}]})
    with pytest.raises(jsonschema.ValidationError):
        validate({"tests": [{"name": "no score"}]})
    with pytest.raises(jsonschema.ValidationError):
        validate({"score": 1, "max_points": 3})


def test_results_of_a_buggy_submission_validate(buggy):
    results = gradescope.to_dict(buggy.grade)
    validate(results)
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))
    by_name = {t["name"]: t for t in results["tests"]}
    dw = by_name["Linear dW"]
    assert dw["status"] == "failed" and dw["score"] == 0 and dw["max_score"] > 0
    assert "transposed" in dw["output"]
    assert by_name["Linear db (hidden)"]["visibility"] == "hidden"
    assert by_name["Linear dx"]["visibility"] == "visible"
    assert by_name["ReLU dx"]["status"] == "passed"


def test_hidden_tests_can_show_after_publishing(buggy):
    results = gradescope.to_dict(buggy.grade, hidden="after_published")
    validate(results)
    assert "after_published" in {t["visibility"] for t in results["tests"]}


def test_crashed_submission_validates():
    results = gradescope.to_dict(crashed("x.py", rubric.load(), "timed out after 120 s"))
    validate(results)
    assert results["score"] == 0 and "timed out" in results["output"]


def test_visible_output_never_reveals_hidden_results(buggy):
    """Gradescope hides the total score while tests are hidden, but always shows the
    top-level output: it must carry only what the visible tests already show."""
    for hidden in ("hidden", "after_due_date", "after_published"):
        results = gradescope.to_dict(buggy.grade, hidden=hidden)
        visible = [t for t in results["tests"] if t["visibility"] == "visible"]
        shown_total = pair(sum(exact(t["score"]) for t in visible),
                           sum(exact(t["max_score"]) for t in visible))
        assert f"backcheck: {shown_total} points on the visible checks" in results["output"]
        assert pair(buggy.grade.points, buggy.grade.max_points) not in results["output"]
        assert "14.14" not in results["output"]
        assert results["score"] == 14.142857  # the grade itself is whole


def test_perfect_results_score_exactly_the_maximum(graded_class):
    results = gradescope.to_dict(graded_class["correct.py"].grade)
    assert results["score"] == results["extra_data"]["max_score"] == 19
    assert all(t["score"] == t["max_score"] and t["status"] == "passed"
               for t in results["tests"])
