"""The folder of sample submissions, for every adapter test."""

from __future__ import annotations

from pathlib import Path

import pytest
from adapter_checks import SUBMISSIONS


@pytest.fixture
def submissions() -> Path:
    return SUBMISSIONS
