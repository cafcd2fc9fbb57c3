from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["crawler.testing.plugin"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def snapshots_dir() -> Path:
    return PROJECT_ROOT / "snapshots"
