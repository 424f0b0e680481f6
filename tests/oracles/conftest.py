"""Fixtures of the oracle tests (helpers themselves live in ``oracle_helpers``)."""

from __future__ import annotations

import pytest
from oracle_helpers import Expected


@pytest.fixture(scope="session")
def expected() -> Expected:
    """``expected(oracle_name, spec, case)``: a cached oracle outcome, one oracle per session."""
    return Expected()
