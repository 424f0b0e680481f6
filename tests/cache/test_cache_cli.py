"""A warm cache lets the command line grade a new submission without PyTorch or TensorFlow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

LATE = Path(__file__).parents[1] / "fixtures" / "cache" / "late_student.py"

RUN_AND_REPORT = (
    "import sys\n"
    "from harness.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('IMPORTED', 'torch' in sys.modules, 'tensorflow' in sys.modules)\n"
    "sys.exit(code)\n"
)


def backcheck(cache_dir: Path | str, *args: str, home: Path | None = None) -> tuple[int, str]:
    """Run the CLI in a fresh interpreter; return its exit code and stdout."""
    env = {**os.environ, "BACKCHECK_CACHE": str(cache_dir)}
    if home is not None:
        env["HOME"] = str(home)
    done = subprocess.run([sys.executable, "-c", RUN_AND_REPORT, *args], env=env,
                          capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout


@pytest.mark.slow
def test_warm_cache_imports_neither_framework(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("tensorflow")
    selection = ("--layers", "Linear,ReLU", "--oracles", "fd,torch,tensorflow")
    code, cold = backcheck(tmp_path, "check", "reference", *selection)
    assert code == 0, cold
    assert "IMPORTED True True" in cold
    code, warm = backcheck(tmp_path, "check", str(LATE), *selection)
    assert code == 0, warm
    assert "IMPORTED False False" in warm
    assert "skip" not in warm.lower()
    code, graded = backcheck(tmp_path, "grade", str(LATE), *selection,
                             "--out", str(tmp_path / "report"))
    assert "IMPORTED False False" in graded
    assert "score" in graded, graded


def test_cache_off_still_checks_and_writes_nothing(tmp_path):
    code, out = backcheck("off", "check", str(LATE), "--layers", "Linear", "--oracles", "fd",
                          home=tmp_path)
    assert code == 0, out
    assert "IMPORTED False False" in out
    assert not list(tmp_path.rglob("*.npz"))


def test_default_directory_is_under_home(tmp_path):
    code, out = backcheck("", "check", str(LATE), "--layers", "Linear", "--oracles", "fd",
                          home=tmp_path)
    assert code == 0, out
    assert list((tmp_path / ".cache" / "backcheck").rglob("*.npz"))
