"""The zygote and the parent's view of a child: start-up cost, events, kills."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from harness import catalog
from harness.errors import HarnessError
from harness.sandbox import launcher, supervisor, wire
from harness.sandbox.child import Request
from harness.sandbox.limits import Limits
from harness.target import Target
from tests.sandbox.conftest import HOSTILE, jobs, needs_fork

pytestmark = needs_fork
WARM_IMPORTS = "import numpy, harness.execution, harness.catalog, harness.adapters.native"


def request(path, workdir: str, layers: str = "Linear") -> Request:
    """A request for a copy of ``path`` in ``workdir`` (the source tree is hidden)."""
    limits = Limits(timeout=2.0)
    copy = os.path.join(workdir, os.path.basename(path))
    if os.path.realpath(path) != os.path.realpath(copy):
        shutil.copyfile(path, copy)
    os.chmod(copy, 0o644)
    return Request(Target(copy, adapter="native"),
                   [(catalog.outline(spec), case) for spec, case in jobs(layers)], limits,
                   supervisor.hidden_paths(limits), workdir, layers=catalog.outlines())


def run_to_end(child: launcher.Child, seconds: float = 5.0) -> list:
    events, deadline = [], time.monotonic() + seconds
    while not isinstance(event := child.next(deadline), launcher.Exited | launcher.Timeout):
        events.append(event)
    child.finish()
    return [*events, event]


def cold_start() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", WARM_IMPORTS], check=True)
    return time.perf_counter() - started


def warm_start(tmp_path) -> float:
    started = time.perf_counter()
    child = launcher.shared().launch(request(HOSTILE / "correct.py", str(tmp_path)), 1000)
    events = run_to_end(child)
    assert events[0].header["type"] == "loaded"
    return time.perf_counter() - started


def test_a_warm_child_costs_a_fork_not_an_interpreter(tmp_path, capsys):
    os.chmod(tmp_path, 0o777)
    launcher.shared().start()
    warm_start(tmp_path)
    warm = min(warm_start(tmp_path) for _ in range(5))
    cold = min(cold_start() for _ in range(3))
    with capsys.disabled():
        print(f"\nchild start: cold interpreter + imports {cold * 1000:.0f} ms, "
              f"warm fork (whole Linear check) {warm * 1000:.0f} ms, "
              f"zygote start {launcher.shared().start_seconds * 1000:.0f} ms")
    assert warm < cold


def test_events_of_a_good_child_end_with_done_then_exit(tmp_path):
    os.chmod(tmp_path, 0o777)
    child = launcher.shared().launch(request(HOSTILE / "correct.py", str(tmp_path)), 1000)
    events = run_to_end(child)
    kinds = [e.header["type"] for e in events[:-1]]
    assert kinds[0] == "loaded" and kinds[-1] == "done"
    assert set(kinds[1:-1]) == {"outcome"}
    assert isinstance(events[-1], launcher.Exited) and events[-1].status == 0


def test_probe_names_the_running_function_and_kill_ends_it(tmp_path):
    os.chmod(tmp_path, 0o777)
    path = tmp_path / "loop_in_backward.py"
    shutil.copy(HOSTILE / path.name, path)
    child = launcher.shared().launch(request(path, str(tmp_path)), 1000)
    assert child.next(time.monotonic() + 5).header["type"] == "loaded"
    time.sleep(0.3)
    where = child.probe()
    assert where is not None and where.header["what"] == "Linear.backward"
    child.kill()
    assert isinstance(child.next(time.monotonic() + 5), launcher.Exited)
    child.finish()


def test_children_of_two_threads_do_not_mix(tmp_path):
    os.chmod(tmp_path, 0o777)
    results = {}

    def run(name):
        child = launcher.shared().launch(request(HOSTILE / f"{name}.py", str(tmp_path)), 1000)
        results[name] = [e.header.get("type") for e in run_to_end(child)
                         if isinstance(e, wire.Frame)]

    threads = [threading.Thread(target=run, args=(n,)) for n in ("correct", "bad_values")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results["correct"][-1] == results["bad_values"][-1] == "done"


def test_a_dead_zygote_is_restarted(tmp_path):
    os.chmod(tmp_path, 0o777)
    zygote = launcher.shared()
    zygote.start()
    zygote._process.kill()
    zygote._process.wait()
    child = zygote.launch(request(HOSTILE / "correct.py", str(tmp_path)), 1000)
    assert run_to_end(child)[0].header["type"] == "loaded"


def test_output_keeps_the_first_bytes_and_counts_all():
    output = launcher.Output(cap=4)
    output.add(b"abc")
    output.add(b"defgh")
    assert bytes(output.kept) == b"abcd" and output.total == 8


@pytest.mark.parametrize("module", ["reference", "harness.engine", "harness.oracles",
                                    "torch", "tensorflow"])
def test_the_zygote_preload_imports_nothing_secret_or_heavy(module):
    code = ("import sys; from harness.sandbox import zygote; import importlib; "
            "[importlib.import_module(m) for m in zygote.PRELOAD]; "
            f"print(any(m == {module!r} or m.startswith({module!r} + '.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                         check=True, env={"PATH": os.environ.get("PATH", "")})
    assert out.stdout.strip() == "False"


def test_a_zygote_that_cannot_start_is_a_one_line_harness_error(monkeypatch):
    monkeypatch.setattr(launcher, "_BOOT", "import sys; sys.exit('no numpy here')")
    with pytest.raises(HarnessError, match=r"did not start \(no numpy here\)"):
        launcher.Zygote().start()
