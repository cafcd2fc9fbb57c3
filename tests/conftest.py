from __future__ import annotations

from pathlib import Path

from collections.abc import Callable, Iterator

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


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A real redis-server for the session (skipped where none is installed, failing in CI): its URL."""
    from tests.redis_server import redis_server_binary, running_redis

    with running_redis(redis_server_binary()) as url:
        yield url


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The session's redis-server, emptied for this test."""
    import redis

    with redis.Redis.from_url(redis_server) as client:
        client.flushall()
    return redis_server
