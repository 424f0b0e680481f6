"""Environments in which backcheck itself cannot judge, for the tests of what ``check`` and
the plugin then say: a course spec file whose torch forward disagrees with the finite
differences, and a ``torch`` that is installed but fails to import."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "examples" / "course-layer"
SKEW = ("return gamma * x * torch.rsqrt", "return 1.05 * gamma * x * torch.rsqrt")


def skewed_spec(folder: Path) -> Path:
    """The course's RMSNorm spec file with its torch forward 5% off."""
    pytest.importorskip("torch")
    text = (COURSE / "rmsnorm.py").read_text()
    assert SKEW[0] in text
    path = folder / "rmsnorm.py"
    path.write_text(text.replace(*SKEW))
    return path


def broken_torch_env(folder: Path) -> dict[str, str]:
    """An environment whose ``torch`` fails to import, with a cold expectations cache."""
    (folder / "fake" / "torch").mkdir(parents=True)
    (folder / "fake" / "torch" / "__init__.py").write_text(
        'raise ImportError("libtorch_cpu.so: cannot open shared object file")\n')
    return {**os.environ, "PYTHONPATH": f"{folder / 'fake'}{os.pathsep}{ROOT}",
            "BACKCHECK_CACHE": str(folder / "cache")}
