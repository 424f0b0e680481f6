"""Enable ``pytester`` for the plugin's tests.

``pytest_plugins`` is refused in a conftest below the root, so the plugin is imported
here at configure time instead (pytester's options get their defaults late).
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")
