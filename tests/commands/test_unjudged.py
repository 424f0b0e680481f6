"""What ``check`` says when backcheck itself cannot judge: two oracles that disagree, or
a framework that is installed but fails to import. Never a pass a CI gate may trust,
never charged to the code under test (the plugin: tests/plugin/test_plugin_unjudged.py)."""

from __future__ import annotations

import subprocess
import sys

from tests.broken import COURSE, ROOT, broken_torch_env, skewed_spec

CORRECT = ROOT / "tests" / "fixtures" / "class" / "submissions" / "correct.py"


def test_oracles_that_disagree_exit_4_not_0(backcheck, tmp_path):
    skewed = skewed_spec(tmp_path)
    ran = backcheck("check", COURSE / "student.py", "--spec-file", skewed, "--layers",
                    "RMSNorm", "--oracles", "fd,torch", "--dtype", "float64", "--json")
    assert ran.code == 4, ran.err
    assert "disagree" in ran.out


def test_a_framework_that_fails_to_import_is_exit_4_in_one_line(tmp_path):
    broken_torch = broken_torch_env(tmp_path)
    ran = subprocess.run([sys.executable, "-m", "harness", "check", str(CORRECT), "--layers",
                          "Linear", "--oracles", "fd,torch"], capture_output=True, text=True,
                         env=broken_torch, cwd=tmp_path)
    assert ran.returncode == 4, ran.stderr
    assert ran.stderr.strip().splitlines() == [
        "backcheck: error: oracle torch cannot run here: its framework fails to import "
        "(ImportError: libtorch_cpu.so: cannot open shared object file); repair that "
        "installation, or leave the oracle out (--oracles fd,tensorflow)"]
