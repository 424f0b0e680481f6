"""Every hostile submission, graded through the real CLI in a sandboxed child.

Each must give a well-formed JSON grade with the right verdicts, within its time
limits; ``backcheck batch`` over the whole corpus must grade every one of them and
give the correct control submission full marks. The CLI is ``backcheck grade``
(sandboxed by default) with ``--layers Linear,ReLU --oracles fd --adapter native``
and short limits, so the whole corpus takes well under a minute.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest

from harness import cli

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the sandbox needs fork")

CORPUS = Path(__file__).parent / "submissions"
TIMEOUT = 3.0
OPTIONS = ["--layers", "Linear,ReLU", "--oracles", "fd", "--adapter", "native",
           "--timeout", str(TIMEOUT), "--memory-mb", "1024", "--format", "json"]
SELECTION = [o for o in OPTIONS if o not in ("--timeout", str(TIMEOUT), "--memory-mb", "1024")]
RELU_PASSES = {"ReLU": "pass"}

# file -> (layer -> verdict every check of that layer must have, or a set of them),
#         and a piece of text every Linear message must contain.
EXPECTED = {
    "correct": ({"Linear": "pass", **RELU_PASSES}, ""),
    "loop_at_import": ({"Linear": "error", "ReLU": "error"}, "timed out after 3 s while loading"),
    "loop_in_backward": ({"Linear": "error", **RELU_PASSES},
                         "timed out after 3 s in Linear.backward"),
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
    "fills_disk": ({"Linear": "pass", **RELU_PASSES}, ""),
    "mutates_inputs": ({"Linear": {"pass", "fail"}, "ReLU": {"pass", "fail"}}, ""),
    "nondeterministic": ({"Linear": "fail", "ReLU": "fail"}, ""),
    "bad_values": ({"Linear": {"pass", "fail", "error"}, "ReLU": {"fail", "error"}}, ""),
    "bad_types": ({"Linear": {"fail", "error"}, "ReLU": {"fail", "error"}}, ""),
}
PASSING = ("correct", "megabytes_of_output", "fills_disk")
WRONG_GRADIENTS = ("patch_numpy", "patch_backcheck", "fake_results_file", "fake_score_lines",
                   "read_reference")
SAME_AS_IN_PROCESS = ("bad_values", "bad_types", "mutates_inputs", "nondeterministic",
                      "patch_numpy", "correct")


def grade(path: Path, capsys, *extra: str, out: Path | None = None) -> tuple[dict, float, int]:
    """The JSON grade, wall seconds and exit code of ``backcheck grade`` on ``path``."""
    capsys.readouterr()
    folder = out or Path(tempfile.mkdtemp(prefix="hostile-out-"))
    started = time.perf_counter()
    options = OPTIONS if "none" not in extra else SELECTION  # no limits without a sandbox
    code = cli.main(["grade", str(path), *options, "--out", str(folder), *extra])
    elapsed = time.perf_counter() - started
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    report = json.loads((folder / "grade.json").read_text())
    if out is None:
        shutil.rmtree(folder)
    report["passed"] = report["score"] == report["max_score"]
    return report, elapsed, code


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
    assert report["schema"] == "backcheck.grade"
    assert len(report["checks"]) == 44
    found = verdicts(report)
    for layer, wanted in layers.items():
        wanted = {wanted} if isinstance(wanted, str) else wanted
        assert found[layer] <= wanted, (layer, found[layer])
    for check in report["checks"]:
        if check["layer"] == "Linear" and check["verdict"] == "error":
            assert text in check["message"]
    assert code == (0 if report["status"] == "graded" else 1)
    assert report["status"] == "graded"
    if name != "sys_exit_at_import":
        assert report["passed"] == (name in PASSING)
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
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.json").write_text("{}")
    source = (CORPUS / "fake_results_file.py").read_text()
    submission = tmp_path / "fake_results_file.py"
    submission.write_text(source.replace('OUT = ""', f"OUT = {str(out)!r}"))
    report, _, _ = grade(submission, capsys, out=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake_results_file.py", "out"]
    assert sorted(p.name for p in out.iterdir()) == ["earlier.json", "grade.json"]
    assert (out / "earlier.json").read_text() == "{}"
    assert not report["passed"] and report["score"] < report["max_score"]


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
def test_a_batch_of_the_whole_corpus_grades_everyone(tmp_path):
    folder = tmp_path / "class"
    shutil.copytree(CORPUS, folder)
    started = time.perf_counter()
    code = cli.main(["batch", str(folder), *OPTIONS[:-2], "--out", str(tmp_path / "out"),
                     "-j", "2", "--format", "json"])
    print(f"corpus batch -j 2: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with open(tmp_path / "out" / "gradebook.csv") as book:
        rows = {row["submission"]: row for row in csv.DictReader(book)}
    assert code == 0
    assert set(rows) == {p.name for p in CORPUS.glob("*.py")}
    assert all(row["status"] == "graded" for row in rows.values())
    assert rows["correct.py"]["score"] == rows["correct.py"]["max_score"]
    wrong = [*WRONG_GRADIENTS, "loop_in_backward", "segfault_ctypes", "fork_bomb"]
    assert all(rows[f"{n}.py"]["Linear"] in ("0", "1") for n in wrong)
