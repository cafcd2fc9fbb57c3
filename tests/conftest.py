from __future__ import annotations

from pathlib import Path

from collections.abc import Callable

import pytest

from tests.crawling import CrawlResult, make_replay_crawl

pytest_plugins = ["crawler.testing.plugin"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def snapshots_dir() -> Path:
    return PROJECT_ROOT / "snapshots"


@pytest.fixture
def replay_crawl(tmp_path: Path) -> Callable[..., CrawlResult]:
    """``replay_crawl(spider, *args)``: ``scrapy crawl`` from snapshots/ in a subprocess, its own store."""
    return make_replay_crawl(tmp_path)
