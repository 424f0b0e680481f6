"""pytest plugin: ``pytest --backcheck-impl PATH`` checks an implementation (in progress)."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ``--backcheck-*`` options."""
    group = parser.getgroup("backcheck", "gradient conformance checks")
    group.addoption("--backcheck-impl", default=None, metavar="PATH",
                    help="check this implementation: a .py file, package or module")
