"""Every hostile submission, graded through the real CLI in a sandboxed child.

Each must give a well-formed JSON report with the right verdicts, within its time
limits, and the next submission must still be graded (the corpus runs in one
process, one submission after another, like a batch). The CLI is ``backcheck
check --isolation process`` with ``--layers Linear,ReLU --oracles fd`` and short
limits, so the whole corpus takes well under a minute.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from harness import cli

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")

CORPUS = Path(__file__).parent / "submissions"
TIMEOUT = 2.0
OPTIONS = ["--layers", "Linear,ReLU", "--oracles", "fd", "--adapter", "native",
           "--isolation", "process",
           "--timeout", str(TIMEOUT), "--memory-mb", "1024", "--json"]
RELU_PASSES = {"ReLU": "pass"}

# file -> (layer -> verdict every check of that layer must have, or a set of them),
#         and a piece of text every Linear message must contain.
EXPECTED = {
    "correct": ({"Linear": "pass", **RELU_PASSES}, ""),
    "loop_at_import": ({"Linear": "error", "ReLU": "error"}, "timed out after 2 s while loading"),
    "loop_in_backward": ({"Linear": "error", **RELU_PASSES},
                         "timed out after 2 s in Linear.backward"),
    "memory_bomb": ({"Linear": "error", **RELU_PASSES}, "memory limit 1024 MB exceeded"),
    "fork_bomb": ({"Linear": "error", **RELU_PASSES}, "Linear"),
    "sys_exit_at_import": ({"Linear": {"pass", "error"}, "ReLU": {"pass", "error"}}, ""),
    "os_exit_at_import": ({"Linear": "error", "ReLU": "error"}, "exited with status 0"),
    "sys_exit_mid_check": ({"Linear": "error", **RELU_PASSES}, "raised SystemExit(0)"),
    "os_exit_mid_check": ({"Linear": "error", **RELU_PASSES}, "Linear exited with status 0"),
    "raise_system_exit": ({"Linear": "error", **RELU_PASSES}, "raised SystemExit"),
    "raise_keyboard_interrupt": ({"Linear": "error", **RELU_PASSES}, "raised KeyboardInterrupt"),
    "raise_base_exception": ({"Linear": "error", **RELU_PASSES}, "raised BaseException"),
    "patch_numpy": ({"Linear": {"pass", "fail"}, **RELU_PASSES}, ""),
    "patch_backcheck": ({"Linear": {"pass", "fail"}, **RELU_PASSES}, ""),
    "fake_results_file": ({"Linear": {"pass", "fail"}, **RELU_PASSES}, ""),
    "fake_score_lines": ({"Linear": {"pass", "fail"}, **RELU_PASSES}, ""),
    "read_reference": ({"Linear": {"pass", "fail"}, **RELU_PASSES}, ""),
    "segfault_ctypes": ({"Linear": "error", **RELU_PASSES}, "crashed with signal SIGSEGV"),
    "unbounded_recursion": ({"Linear": "error", **RELU_PASSES}, "Linear"),
    "megabytes_of_output": ({"Linear": "pass", **RELU_PASSES}, ""),
    "mutates_inputs": ({"Linear": {"pass", "fail"}, "ReLU": {"pass", "fail"}}, ""),
    "nondeterministic": ({"Linear": "fail", "ReLU": "fail"}, ""),
    "bad_values": ({"Linear": {"pass", "fail", "error"}, "ReLU": {"fail", "error"}}, ""),
    "bad_types": ({"Linear": {"fail", "error"}, "ReLU": {"fail", "error"}}, ""),
}
PASSING = ("correct", "megabytes_of_output")
WRONG_GRADIENTS = ("patch_numpy", "patch_backcheck", "fake_results_file", "fake_score_lines",
                   "read_reference")
SAME_AS_IN_PROCESS = ("bad_values", "bad_types", "mutates_inputs", "nondeterministic",
                      "patch_numpy", "correct")


def grade(path: Path, capsys, *extra: str) -> tuple[dict, float, int]:
    """The JSON report, wall seconds and exit code of ``backcheck check`` on ``path``."""
    capsys.readouterr()
    started = time.perf_counter()
    code = cli.main(["check", str(path), *OPTIONS, *extra])
    elapsed = time.perf_counter() - started
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return json.loads(out), elapsed, code


def verdicts(report: dict) -> dict[str, set[str]]:
    found = defaultdict(set)
    for check in report["checks"]:
        found[check["layer"]].add(check["verdict"])
    return found


def test_corpus_has_one_expectation_per_file():
    assert {p.stem for p in CORPUS.glob("*.py")} == set(EXPECTED) | {"network_socket"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_submission(name, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    layers, text = EXPECTED[name]
    report, elapsed, code = grade(CORPUS / f"{name}.py", capsys)
    assert report["schema"] == "backcheck.result"
    assert len(report["checks"]) == 44
    found = verdicts(report)
    for layer, wanted in layers.items():
        wanted = {wanted} if isinstance(wanted, str) else wanted
        assert found[layer] <= wanted, (layer, found[layer])
    for check in report["checks"]:
        if check["layer"] == "Linear" and check["verdict"] == "error":
            assert text in check["message"]
    assert code == (0 if report["passed"] else 1)
    assert report["passed"] == (name in PASSING or (name == "sys_exit_at_import" and code == 0))
    assert elapsed < 3 * TIMEOUT + 5
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", WRONG_GRADIENTS)
def test_wrong_gradients_fail_whatever_the_submission_patches_or_prints(name, capsys):
    report, _, _ = grade(CORPUS / f"{name}.py", capsys)
    failed = {c["quantity"] for c in report["checks"]
              if c["layer"] == "Linear" and c["verdict"] == "fail"}
    assert failed == {"dx", "dW", "db"}
    assert not report["passed"]


def test_printed_output_is_captured_capped_and_never_graded(capsys):
    report, _, _ = grade(CORPUS / "megabytes_of_output.py", capsys)
    printed = [n for n in report["notes"] if "printed" in n]
    assert len(printed) == 1 and len(printed[0]) < 1000
    assert report["passed"]


def test_fake_results_file_lands_nowhere_the_parent_can_see(tmp_path, capsys):
    submission = tmp_path / "fake_results_file.py"
    shutil.copy(CORPUS / submission.name, submission)
    grade(submission, capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == [submission.name]
    assert not Path("/tmp/results.json").exists() or \
        Path("/tmp/results.json").stat().st_mtime < submission.stat().st_mtime


@pytest.mark.parametrize("name", SAME_AS_IN_PROCESS)
def test_sandbox_verdicts_equal_in_process_verdicts(name, capsys):
    sandboxed, _, _ = grade(CORPUS / f"{name}.py", capsys)
    in_process, _, _ = grade(CORPUS / f"{name}.py", capsys, "--isolation", "none")
    assert [(c["id"], c["verdict"], c["message"]) for c in sandboxed["checks"]] == \
        [(c["id"], c["verdict"], c["message"]) for c in in_process["checks"]]


def test_network_is_unreachable(tmp_path, capsys):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    source = (CORPUS / "network_socket.py").read_text()
    submission = tmp_path / "network_socket.py"
    submission.write_text(source.replace("PORT = 9", f"PORT = {port}"))
    report, _, _ = grade(submission, capsys)
    with pytest.raises(TimeoutError):
        server.accept()
    server.close()
    assert "fail" in verdicts(report)["Linear"]


@pytest.mark.slow
def test_whole_corpus_in_a_row_then_a_correct_submission_still_passes(tmp_path, capsys):
    started = time.perf_counter()
    for name in sorted(EXPECTED):
        grade(CORPUS / f"{name}.py", capsys)
    report, _, code = grade(CORPUS / "correct.py", capsys)
    print(f"corpus: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    assert code == 0 and report["passed"]
