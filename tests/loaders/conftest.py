"""Paths of the loading fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

LOADING = Path(__file__).resolve().parents[1] / "fixtures" / "submissions" / "loading"


@pytest.fixture
def loading() -> Path:
    """The folder of sample submissions that exercise loading."""
    return LOADING
