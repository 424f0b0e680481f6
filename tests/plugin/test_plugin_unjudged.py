"""What the plugin says when backcheck itself cannot judge (``check``:
tests/commands/test_unjudged.py): the checks two oracles disagree on are skipped and
counted once at the end; a framework that fails to import stops the session."""

from __future__ import annotations

import subprocess
import sys

from tests.broken import COURSE, ROOT, broken_torch_env, skewed_spec

CORRECT = ROOT / "tests" / "fixtures" / "class" / "submissions" / "correct.py"


def test_the_plugin_says_what_it_could_not_judge(pytester, tmp_path):
    skewed = skewed_spec(tmp_path)
    result = pytester.runpytest_subprocess(
        "--backcheck-impl", str(COURSE / "student.py"), "--backcheck-spec-file", str(skewed),
        "--backcheck-layers", "RMSNorm", "--backcheck-oracles", "fd,torch",
        "--backcheck-dtype", "float64")
    outcomes = result.parseoutcomes()
    assert outcomes.get("skipped", 0) > 0 and "failed" not in outcomes
    result.stdout.fnmatch_lines(["backcheck: * checks not judged, backcheck's problem and not "
                                 "charged: *disagree*"])


def test_the_plugin_stops_on_a_framework_that_fails_to_import(tmp_path):
    broken_torch = broken_torch_env(tmp_path)
    ran = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                          "--backcheck-impl", str(CORRECT), "--backcheck-layers", "Linear",
                          "--backcheck-oracles", "fd,torch"], capture_output=True, text=True,
                         env=broken_torch, cwd=tmp_path)
    assert ran.returncode == 3, ran.stdout[-2000:]
    assert "backcheck cannot judge: oracle torch cannot run here" in ran.stdout
    assert "failed" not in ran.stdout.splitlines()[-1]
