"""Driving children: same outcomes as in-process, and every way a child can end badly."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from harness.errors import UsageError
from harness.execution import execute
from harness.outcome import RunError
from harness.sandbox import supervisor, wire
from harness.sandbox.limits import Limits
from harness.target import Target
from tests.sandbox.conftest import FIXTURES, HOSTILE, errors, jobs, needs_fork, sandboxed

pytestmark = needs_fork


def test_outcomes_equal_those_of_execute_in_process():
    target = Target(str(HOSTILE / "correct.py"), adapter="native")
    both = jobs(dtypes=("float32", "float64"))
    inside = execute(target, both)
    outside = supervisor.executor(Limits(timeout=5))(target, both)
    assert outside.adapter == inside.adapter
    assert list(outside.outcomes) == list(inside.outcomes)
    for case_id, expected in inside.outcomes.items():
        got = outside.outcomes[case_id]
        np.testing.assert_array_equal(got.output, expected.output)
        assert got.output.dtype == expected.output.dtype
        assert set(got.grads) == set(expected.grads)
        for name in expected.grads:
            np.testing.assert_array_equal(got.grads[name], expected.grads[name])


def test_a_layer_that_hangs_fails_alone_and_the_next_layer_runs_in_a_fresh_child():
    started = time.perf_counter()
    execution = sandboxed(HOSTILE / "loop_in_backward.py", timeout=2.0)
    assert time.perf_counter() - started < 6
    assert errors(execution, "Linear") == {
        "timeout: timed out after 2 s in Linear.backward (at loop_in_backward.py:14)"}
    assert errors(execution, "ReLU") == {""}


def test_a_hang_while_loading_fails_everything_once():
    started = time.perf_counter()
    execution = sandboxed(HOSTILE / "loop_at_import.py", timeout=1.0)
    assert time.perf_counter() - started < 3
    assert {str(o.error) for o in execution.outcomes.values()} == {
        "timeout: timed out after 1 s while loading loop_at_import.py (at loop_at_import.py:25)"}


def test_the_submission_clock_stops_everything_left():
    execution = sandboxed(FIXTURES / "slow_layers.py", timeout=5.0, total_timeout=1.0)
    messages = {str(o.error) for o in execution.outcomes.values()}
    assert any("submission time limit of 1 s exceeded" in m for m in messages)


def test_cpu_limit_is_a_limit_error():
    execution = sandboxed(FIXTURES / "burns_cpu.py", "Linear", timeout=30.0, cpu_seconds=1)
    assert errors(execution, "Linear") == {"limit: CPU time limit of 1 s exceeded in Linear"}


def test_memory_limit_is_a_limit_error():
    execution = sandboxed(HOSTILE / "memory_bomb.py", memory_mb=768)
    (message,) = errors(execution, "Linear")
    assert message.startswith("limit: memory limit 768 MB exceeded")
    assert errors(execution, "ReLU") == {""}


@pytest.mark.parametrize("name, expected", [
    ("segfault_ctypes", "crashed: Linear crashed with signal SIGSEGV"),
    ("os_exit_mid_check", "crashed: Linear exited with status 0 before finishing"),
    ("raise_keyboard_interrupt", "exception: Linear.backward raised "
                                 "KeyboardInterrupt(no gradients today) "
                                 "(at raise_keyboard_interrupt.py:14)"),
    ("raise_base_exception", "exception: Linear.backward raised "
                             "BaseException(no gradients today) (at raise_base_exception.py:14)"),
    ("raise_system_exit", "exception: Linear.backward raised "
                          "SystemExit(no gradients today) (at raise_system_exit.py:14)"),
    ("sys_exit_mid_check", "exception: Linear.backward raised SystemExit(0) "
                           "(at sys_exit_mid_check.py:16)"),
])
def test_a_dying_layer_fails_alone(name, expected):
    execution = sandboxed(HOSTILE / f"{name}.py")
    assert errors(execution, "Linear") == {expected}
    assert errors(execution, "ReLU") == {""}


def test_garbage_on_the_result_pipe_fails_that_layer_only():
    execution = sandboxed(FIXTURES / "garbage.py")
    (message,) = errors(execution, "Linear")
    assert message.startswith("crashed: sent malformed results")
    assert errors(execution, "ReLU") == {""}


def test_a_fork_bomb_is_killed_with_its_children():
    started = time.perf_counter()
    execution = sandboxed(HOSTILE / "fork_bomb.py", timeout=2.0, processes=32)
    assert time.perf_counter() - started < 7
    assert errors(execution, "ReLU") == {""}
    (message,) = errors(execution, "Linear")
    assert "Linear" in message


def test_output_is_capped_and_noted():
    execution = sandboxed(HOSTILE / "megabytes_of_output.py", output_bytes=1000)
    (note,) = [n for n in execution.notes if "printed" in n]
    assert len(note) < 1000 and "bytes" in note


def test_checking_the_reference_itself_is_refused_with_a_hint():
    with pytest.raises(UsageError, match="--isolation none"):
        supervisor.executor(Limits())(Target("reference"), jobs("Linear"))


def test_hidden_paths_include_the_reference_and_never_backcheck(tmp_path):
    hidden = supervisor.hidden_paths(Limits(hidden=(str(tmp_path),)))
    assert any(p.endswith("/reference") for p in hidden)
    assert str(tmp_path.resolve()) in hidden
    assert supervisor._HARNESS not in hidden
    above = [p for p in hidden if supervisor._HARNESS.startswith(p + "/")]
    assert above == [os.path.dirname(supervisor._HARNESS)]  # its source tree, covered
    assert supervisor.hidden_paths(Limits(hidden=("/",))).count("/") == 0


def test_the_reference_stays_hidden_when_the_parent_has_it_on_sys_path(monkeypatch):
    (reference,) = supervisor._package_paths()
    monkeypatch.syspath_prepend(reference)
    assert reference in supervisor.hidden_paths(Limits())


def test_an_exit_while_loading_fails_every_check_once():
    execution = sandboxed(HOSTILE / "os_exit_at_import.py")
    assert {str(o.error) for o in execution.outcomes.values()} == {
        "crashed: os_exit_at_import.py exited with status 0 before finishing while loading"}


@pytest.mark.parametrize("name", ["patch_backcheck", "patch_numpy", "fake_score_lines"])
def test_patching_or_printing_in_the_child_leaves_the_returned_arrays_as_they_were(name):
    execution = sandboxed(HOSTILE / f"{name}.py", "Linear")
    for outcome in execution.outcomes.values():
        assert outcome.error is None
        assert set(outcome.grads) == {"x", "W", "b"}
        assert not any(np.any(g) for g in outcome.grads.values())


def bare_supervisor(layers: str = "Linear,ReLU") -> supervisor.Supervisor:
    """A supervisor that has started no child, to feed it frames by hand."""
    target = Target("alice.py", adapter="native")
    return supervisor.Supervisor(target, target, "/nonexistent", jobs(layers), Limits(), ())


def test_a_closing_frame_with_too_many_notes_is_malformed():
    sup = bare_supervisor()
    with pytest.raises(wire.WireError, match="notes"):
        sup.finish({"adapter": "native", "notes": [f"n{i}" for i in range(1000)]})
    assert sup.notes == []


def test_notes_are_kept_once_each_in_linear_time():
    sup = bare_supervisor()
    started = time.perf_counter()
    for i in range(2000):
        sup.finish({"adapter": "native", "notes": [f"n{i % 7}", f"m{i}"]})
    assert time.perf_counter() - started < 30
    assert len(sup.notes) == len(set(sup.notes)) == 2007
    assert sup.notes[:3] == ["n0", "m0", "n1"]


def test_a_refusal_fails_the_submission_and_raises_nothing():
    sup = bare_supervisor()
    assert sup.refuse({"message": "adapter tie", "exit_code": 2}) is False
    assert sup.pending == []
    assert {str(o.error) for o in sup.outcomes.values()} == {
        "load: alice.py could not be run: adapter tie"}


def test_a_malformed_frame_after_the_last_check_leaves_a_note():
    sup = bare_supervisor("Linear")
    sup.fail(sup.pending, RunError("exception", "x"))
    assert sup.malformed(True, wire.WireError("junk")) is False
    assert sup.notes == ["alice.py sent malformed results after its last check (junk)"]


def test_the_budget_grows_with_the_cases():
    small, large = supervisor.budget(jobs("ReLU")), supervisor.budget(jobs("Linear,ReLU"))
    assert small.frames < large.frames and small.nbytes < large.nbytes
    assert large.nbytes < 256 * 2**20
