"""Forged frames on the result pipe, graded through the CLI: each is that layer's error.

A submission can write anything to the pipe its own worker answers on. Whatever it
writes (JSON nested 100 000 deep, a million notes, a refusal carrying backcheck's exit
code, outcomes announcing hundreds of megabytes, an endless flood of frames), the
parent bounds what it reads, in linear time and within the clocks, and the layer that
did it fails while the next layer is graded in a fresh child.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest

from tests.hostile.test_corpus import TIMEOUT, grade, verdicts

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")

FORGED = Path(__file__).parent / "forged"
MALFORMED = ("deep_json", "million_notes", "forged_observations", "frame_flood")


def linear_messages(report: dict) -> set[str]:
    return {c["message"] for c in report["checks"] if c["layer"] == "Linear"}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_frame_fails_that_layer_and_the_next_is_graded(name, tmp_path,
                                                                   monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    report, elapsed, code = grade(FORGED / f"{name}.py", capsys)
    assert code == 0 and report["status"] == "graded"
    found = verdicts(report)
    assert found["Linear"] == {"error"}
    assert found["ReLU"] == {"pass"}, {c["message"] for c in report["checks"]}
    (message,) = linear_messages(report)
    assert "sent malformed results" in message and "in Linear" in message
    assert elapsed < 3 * TIMEOUT + 5
    assert len(report["notes"]) < 10


def test_hundreds_of_forged_megabytes_are_refused_before_they_are_read(capsys):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report, _, _ = grade(FORGED / "forged_observations.py", capsys)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 150
    (message,) = linear_messages(report)
    assert "over the" in message and "limit" in message


def test_a_million_notes_cost_no_time(capsys):
    started = time.perf_counter()
    report, _, _ = grade(FORGED / "million_notes.py", capsys)
    assert time.perf_counter() - started < 2 * TIMEOUT
    assert not any(n.startswith("note ") for n in report["notes"])


def test_a_forged_refusal_never_becomes_an_exit_code(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    report, _, code = grade(FORGED / "forged_refusal.py", capsys)
    assert code == 0 and report["status"] == "graded"
    assert report["score"] == 0
    assert all(c["verdict"] == "error" for c in report["checks"])
    assert {c["message"] for c in report["checks"]} == {
        "load: forged_refusal.py could not be run: an oracle is broken (exit 4)"}


def test_the_flood_is_stopped_within_the_layer_clock(capsys):
    started = time.perf_counter()
    report, _, _ = grade(FORGED / "frame_flood.py", capsys)
    assert time.perf_counter() - started < 2 * TIMEOUT
    assert verdicts(report)["ReLU"] == {"pass"}
