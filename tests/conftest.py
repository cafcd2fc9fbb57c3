from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.crawling import CrawlResult, make_replay_crawl
from tests.inprocess import scrapy_logging_left_as_found, start_reactor, stop_reactor

pytest_plugins = ["crawler.testing.plugin"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Property-based tests (hypothesis): HYPOTHESIS_PROFILE picks how hard they look.
#   ci   (default) few examples, derandomized: the same inputs every run, a fast and stable suite;
#   dev  many more, random: run it before a change to extraction is merged;
#   fuzz a long hunt (minutes): HYPOTHESIS_PROFILE=fuzz pytest tests -k properties
# No deadline in any: the machine is shared and tests never assert a timing.
_SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("ci", max_examples=20, derandomize=True, deadline=None, database=None,
                          suppress_health_check=_SLOW_INPUTS, print_blob=True)  # fmt: skip
settings.register_profile("dev", max_examples=500, deadline=None, suppress_health_check=_SLOW_INPUTS)
settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=_SLOW_INPUTS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    """The reactor for in-process crawls (tests/inprocess.py), before any test: every test sees it installed."""
    start_reactor()


def pytest_unconfigure(config: pytest.Config) -> None:
    stop_reactor()


@pytest.fixture(autouse=True)
def _scrapy_logging_isolated() -> Iterator[None]:
    """A test that runs a Scrapy command in this process leaves no logging set-up to the tests after it."""
    with scrapy_logging_left_as_found():
        yield


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def snapshots_dir() -> Path:
    return PROJECT_ROOT / "snapshots"


@pytest.fixture
def replay_crawl(tmp_path: Path) -> Callable[..., CrawlResult]:
    """``replay_crawl(spider, *args)``: ``scrapy crawl`` from snapshots/ (in this process), its own store."""
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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server for the session (skipped where none is installed, failing in CI): its URL."""
    from tests.postgres_server import postgres_bin_dir, running_postgres

    with running_postgres(postgres_bin_dir()) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A new, empty database on the session's PostgreSQL server, for this test: its URL."""
    from tests.postgres_server import fresh_database

    return fresh_database(postgres_server)
