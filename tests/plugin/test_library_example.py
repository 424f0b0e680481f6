"""examples/library: tinynn passes backcheck through its adapter file, by the CLI and by
the exact pytest command of its workflow, and a broken tinynn fails the gate."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import errors

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "examples" / "library"
WORKFLOW = LIBRARY / ".github" / "workflows" / "gradients.yml"
ADAPTER = LIBRARY / "backcheck_adapter.py"
LAYERS = "Linear,ReLU,Sigmoid,Tanh,MSELoss"


def workflow_command(step: str, matrix: dict[str, str]) -> list[str]:
    """The folded ``run: >`` command of a workflow step, with matrix and env filled in."""
    text = WORKFLOW.read_text()
    block = re.search(rf"- name: {re.escape(step)}\n\s+run: >\n((?:\s{{10,}}\S.*\n)+)", text)
    assert block, f"no folded run command in step {step!r}"
    command = " ".join(line.strip() for line in block.group(1).splitlines())
    for key, value in matrix.items():
        command = command.replace(f"${{{{ matrix.{key} }}}}", value)
    env = dict(re.findall(r"^  ([A-Z]+): (\S+)$", text, flags=re.MULTILINE))
    return [env.get(w[1:], w) if w.startswith("$") else w for w in shlex.split(command)]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BACKCHECK_CACHE": "off"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_cli_check_of_tinynn_passes(backcheck):
    done = backcheck("check", LIBRARY / "tinynn", "--adapter-file", ADAPTER,
                     "--oracles", "fd", "--layers", LAYERS)

    assert done.code == errors.EXIT_OK, done.out + done.err
    assert "adapter tinynn" in done.out
    assert "80 / 80 checks passed" in done.out


def test_workflow_check_step_passes_and_writes_junit(tmp_path):
    pytest.importorskip("xdist")
    command = workflow_command("Check gradients", {"oracles": "fd", "backend": "numpy"})
    assert command[0] == "pytest"
    assert "--backcheck-layers" in command and LAYERS in command

    report = tmp_path / "backcheck-numpy.xml"
    command = [f"--junitxml={report}" if w.startswith("--junitxml=") else w for w in command]

    done = run([sys.executable, "-m", *command], LIBRARY)

    assert done.returncode == 0, done.stdout + done.stderr
    assert 'failures="0"' in report.read_text()
    assert 'classname="backcheck.Linear"' in report.read_text()


def test_workflow_runs_on_pull_requests_with_one_job_per_backend():
    text = WORKFLOW.read_text()

    assert re.search(r"^on:\n(?:  .*\n)*  pull_request:", text, flags=re.MULTILINE)
    for oracles in ("fd", "fd,torch", "fd,tensorflow"):
        assert f"oracles: {oracles}\n" in text
    assert "torch==2.13.0" in text


def test_a_broken_tinynn_fails_the_gate(tmp_path, backcheck):
    broken = tmp_path / "tinynn"
    shutil.copytree(LIBRARY / "tinynn", broken)
    layers = broken / "layers.py"
    source = layers.read_text()
    assert "self.grad_W = grad.T @ self._x" in source
    layers.write_text(source.replace("self.grad_W = grad.T @ self._x",
                                     "self.grad_W = self._x.T @ grad"))

    done = backcheck("check", broken, "--adapter-file", ADAPTER, "--oracles", "fd",
                     "--layers", "Linear", "--dtype", "float64")

    assert done.code == errors.EXIT_CHECKS_FAILED
    assert "dW" in done.out and "transpose" in done.out


def test_readme_lists_every_exit_code():
    doc = (ROOT / "README.md").read_text()
    codes = {name: value for name, value in vars(errors).items() if name.startswith("EXIT_")}

    for name, value in codes.items():
        assert re.search(rf"\|\s*`{value}`\s*\|\s*`{name}`", doc), name
