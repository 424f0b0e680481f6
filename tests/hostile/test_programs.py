"""Hostile programs in other languages, graded through the real CLI in the sandbox.

Each speaks backcheck-protocol (or fails to compile) and misbehaves in Linear while
its ReLU is right: the report must be well formed, Linear must fail with the reason,
and ReLU must still pass, within the time limits.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import defaultdict
from pathlib import Path

import pytest

from harness import cli

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")

PROGRAMS = Path(__file__).parent / "programs"
TIMEOUT = 3.0
OPTIONS = ["--layers", "Linear,ReLU", "--oracles", "fd", "--timeout", str(TIMEOUT),
           "--format", "json"]

# folder -> (toolchain, verdicts by layer, text every Linear message contains)
EXPECTED = {
    "never_answers": ("node", {"Linear": {"error"}, "ReLU": {"pass"}},
                      "timed out after 3 s in Linear"),
    "floods_stdout": ("node", {"Linear": {"error"}, "ReLU": {"pass"}},
                      "bad-return: floods_stdout/ sent more than"),
    "exits_mid_case": ("node", {"Linear": {"error"}, "ReLU": {"pass"}},
                       "exited with status 3 before finishing a reply"),
    "fails_to_compile": ("g++", {"Linear": {"error"}, "ReLU": {"error"}},
                         "build failed (`g++ -o layers layers.cpp` exited with status 1): "
                         "layers.cpp:5:42: error:"),
}


def test_every_program_has_an_expectation():
    assert {p.name for p in PROGRAMS.iterdir() if p.is_dir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_hostile_program_is_contained(name, tmp_path, capsys):
    tool, expected, text = EXPECTED[name]
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    started = time.perf_counter()
    code = cli.main(["grade", str(PROGRAMS / name), *OPTIONS, "--out", str(tmp_path)])
    elapsed = time.perf_counter() - started
    assert "Traceback" not in capsys.readouterr().err
    assert code == 0
    report = json.loads((tmp_path / "grade.json").read_text())
    found = defaultdict(set)
    for check in report["checks"]:
        found[check["layer"]].add(check["verdict"])
    assert dict(found) == expected
    linear = {c["message"] for c in report["checks"] if c["layer"] == "Linear"}
    assert all(text in m for m in linear), linear
    assert elapsed < 2 * TIMEOUT + 10
