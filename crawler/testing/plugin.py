"""pytest plugin: the ``--snapshot-update`` flag and the ``snapshot_update`` fixture."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if pluginmanager.has_plugin("syrupy"):
        return  # syrupy defines the same flag with the same meaning; read it from there
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        default=False,
        help="rewrite snapshots/*/*/expected.json from the current output (then review every change)",
    )


@pytest.fixture
def snapshot_update(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--snapshot-update"))
