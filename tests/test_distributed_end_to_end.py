"""Two workers, one Redis, the mirror: every page once, a killed worker's requests done again, same articles.

Real parts only: ``scrapy crawlall`` worker subprocesses under
``SCRAPY_PROJECT=distributed``, a redis-server of the test's own
(tests/redis_server.py), the mirror serving snapshots/ on 127.0.0.1 (counting
what it answers), a SQLite store per worker.  The reference is a
single-machine crawl of the same mirror with the live settings; it and
``scrapy seed`` run in the test process (tests/inprocess.py), the workers in
processes of their own: two at once, and one of them killed.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from crawler.distributed.inflight import heartbeat_key, inflight_key
from crawler.tools.mirror import Mirror, RunningMirror
from tests.crawling import ROOT
from tests.inprocess import run_scrapy

SPIDERS = ("aljazeera", "almayadeen", "persian_aggregator", "sadaelbalad")
# Fast against loopback, as in tests/crawler/tools/test_mirror.py; a worker closes 1 s after the shared crawl is done.
COMMON = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "NEWS_SITE_POLITENESS=0", "-a", "date=2021-10-18")
WORKER = ("-s", "DISTRIBUTED_IDLE_CLOSE=1", "-s", "DISTRIBUTED_HEARTBEAT_TTL=3", "-s", "LOG_LEVEL=INFO")
#: Fields that say when or in which crawl, not what the article is; duplicate_of links copies within one store.
NOT_COMPARED = ("fetched_at", "duplicate_of")


class CountingMirror(Mirror):
    """The mirror, counting each URL it answers (the HTTP server answers from several threads)."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()

    def answer(self, url: str, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.counts[url] += 1
        return super().answer(url, *args, **kwargs)

    def take_counts(self) -> Counter[str]:
        """Pages answered since the last call, robots.txt left out (each worker reads it once per site)."""
        with self.lock:
            counts, self.counts = self.counts, Counter()
        return Counter({url: count for url, count in counts.items() if not url.endswith("/robots.txt")})


@pytest.fixture(scope="module")
def mirror() -> Iterator[tuple[str, CountingMirror]]:
    counting = CountingMirror()
    with RunningMirror(counting) as base_url:
        yield base_url, counting


def scrapy_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("SCRAPY_PROJECT", "NEWS_STORE_PATH")}
    return {**env, **extra}


def articles(*stores: Path) -> dict[str, dict[str, Any]]:
    """Canonical URL -> article, from the union of the stores; a URL stored twice fails here."""
    found: dict[str, dict[str, Any]] = {}
    for store in stores:
        with sqlite3.connect(store) as connection:
            for canonical_url, data in connection.execute("SELECT canonical_url, data FROM articles"):
                assert canonical_url not in found, f"{canonical_url} is in two stores"
                article = json.loads(data)
                found[canonical_url] = {key: value for key, value in article.items() if key not in NOT_COMPARED}
    return found


@pytest.fixture(scope="module")
def single_machine(
    mirror: tuple[str, CountingMirror], tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict, set[str], Path]:
    """The reference: one ordinary crawl of the four sites through the mirror; its articles, pages and store."""
    base_url, counting = mirror
    folder = tmp_path_factory.mktemp("single")
    counting.take_counts()
    result = run_scrapy("crawlall", "--output-dir", str(folder / "feeds"), *COMMON, "-s", f"NEWS_MIRROR_URL={base_url}",
                        "-s", f"NEWS_STORE_PATH={folder / 'articles.sqlite'}", env={"NEWS_STORE_PATH": None})  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = articles(folder / "articles.sqlite")
    assert len(found) == 10  # the four sites' stored articles (tests/crawler/tools/test_mirror.py names them)
    return found, set(counting.take_counts()), folder / "articles.sqlite"


def start_worker(name: str, redis_url: str, mirror_url: str, folder: Path, *settings: str) -> subprocess.Popen[str]:
    log = (folder / f"{name}.log").open("a", encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawlall", "--output-dir", str(folder / name), *COMMON, *WORKER,
         "-s", f"NEWS_MIRROR_URL={mirror_url}", "-s", f"NEWS_STORE_PATH={folder / f'{name}.sqlite'}", *settings],
        cwd=ROOT, env=scrapy_env(SCRAPY_PROJECT="distributed", NEWS_REDIS_URL=redis_url, NEWS_WORKER_ID=name),
        stdout=subprocess.DEVNULL, stderr=log, text=True,
    )  # fmt: skip


def finish(worker: subprocess.Popen[str], folder: Path, name: str) -> str:
    assert worker.wait(timeout=120) == 0, (folder / f"{name}.log").read_text(encoding="utf-8")[-3000:]
    log = (folder / f"{name}.log").read_text(encoding="utf-8")
    assert "Traceback" not in log and " ERROR: " not in log, log[-3000:]
    return log


def seed(redis_url: str) -> None:
    result = run_scrapy("seed", project="distributed", env={"NEWS_REDIS_URL": redis_url, "NEWS_STORE_PATH": None})
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("start URLs for") == len(SPIDERS)


def assert_nothing_left(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as server:
        for spider in SPIDERS:
            assert server.llen(f"{spider}:start_urls") == 0 and server.zcard(f"{spider}:requests") == 0
            assert not server.keys(f"{spider}:inflight:*")


def wait_until_ready(redis_url: str, workers: dict[str, subprocess.Popen[str]]) -> None:
    """Every worker has opened every spider (its heartbeat is in Redis)."""
    with redis.Redis.from_url(redis_url) as server:
        deadline = time.monotonic() + 60
        keys = [heartbeat_key(spider, name) for spider in SPIDERS for name in workers]
        while server.exists(*keys) < len(keys):
            assert all(worker.poll() is None for worker in workers.values()), "a worker ended before the seeding"
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)


def pages_downloaded(log: str) -> int:
    """Responses a worker received, over its spiders, from the stats dumps in its log."""
    return sum(int(count) for count in re.findall(r"'response_received_count': (\d+)", log))


def in_flight_urls(server: redis.Redis, worker: str) -> set[str]:
    return {
        pickle.loads(data)["url"] for spider in SPIDERS for data in server.zrange(inflight_key(spider, worker), 0, -1)
    }


def test_two_workers_download_every_page_once_and_store_what_one_machine_does(
    mirror: tuple[str, CountingMirror], single_machine: tuple[dict, set[str], Path], redis_url: str, tmp_path: Path
) -> None:
    base_url, counting = mirror
    reference, reference_pages, _ = single_machine
    # Both workers up and waiting before the crawl is seeded, each holding at most two requests
    # at a time, so that one worker cannot take the whole (small) crawl before the other starts.
    slow = ("-s", "CONCURRENT_REQUESTS=2", "-s", "DOWNLOAD_DELAY=0.1")
    workers = {name: start_worker(name, redis_url, base_url, tmp_path, *slow) for name in ("w1", "w2")}
    wait_until_ready(redis_url, workers)
    seed(redis_url)
    logs = {name: finish(worker, tmp_path, name) for name, worker in workers.items()}
    counts = counting.take_counts()
    assert all(pages_downloaded(log) for log in logs.values()), "both workers should have taken part"
    assert {url: count for url, count in counts.items() if count != 1} == {}, "a page was downloaded twice"
    assert set(counts) == reference_pages, "the two workers did not download the pages one machine does"
    assert articles(tmp_path / "w1.sqlite", tmp_path / "w2.sqlite") == reference
    assert_nothing_left(redis_url)


def test_a_worker_killed_mid_crawl_loses_no_request(
    mirror: tuple[str, CountingMirror], single_machine: tuple[dict, set[str], Path], redis_url: str, tmp_path: Path
) -> None:
    base_url, counting = mirror
    reference, reference_pages, _ = single_machine
    seed(redis_url)
    # Slow enough to be killed mid-way: 0.5 s between requests to a site.
    first = start_worker("w1", redis_url, base_url, tmp_path, "-s", "DOWNLOAD_DELAY=0.5")
    server = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 60
    while not (sum(server.scard(f"{spider}:stored") for spider in SPIDERS) and in_flight_urls(server, "w1")):
        assert first.poll() is None and time.monotonic() < deadline, "w1 ended before it could be killed mid-crawl"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    left_in_flight = in_flight_urls(server, "w1")  # what the killed worker had popped and not finished
    assert left_in_flight

    # w1 restarted under its id takes its requests back at once; w2 joins.
    workers = {name: start_worker(name, redis_url, base_url, tmp_path) for name in ("w1", "w2")}
    logs = {name: finish(worker, tmp_path, name) for name, worker in workers.items()}
    assert "left in flight by this worker's previous run" in logs["w1"]
    counts = counting.take_counts()
    assert set(counts) == reference_pages, "a page was missed"
    assert {url for url, count in counts.items() if count > 1} <= left_in_flight
    stores = [tmp_path / f"{name}.sqlite" for name in ("w1", "w2") if (tmp_path / f"{name}.sqlite").exists()]
    assert articles(*stores) == reference  # each article in exactly one store
    assert_nothing_left(redis_url)
    server.close()


def duplicate_groups(found: dict[str, dict[str, Any]]) -> set[frozenset[str]]:
    """Each story stored at several URLs, as the set of them: which copy came first depends on which worker took it."""
    groups: dict[str, set[str]] = {}
    for url, article in found.items():
        if article.get("duplicate_of"):
            groups.setdefault(article["duplicate_of"], {article["duplicate_of"]}).add(url)
    return {frozenset(group) for group in groups.values()}


def test_two_workers_on_one_postgresql_store_store_each_article_once_and_link_copies_across_workers(
    mirror: tuple[str, CountingMirror], single_machine: tuple[dict, set[str], Path], redis_url: str, postgres_url: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    """SCRAPY_PROJECT=distributed with NEWS_STORE_URL: one database, no merge step, copies linked as on one machine."""
    from crawler.storage.postgres import PostgresStore

    base_url, _ = mirror
    reference, _, reference_store = single_machine
    with sqlite3.connect(reference_store) as connection:
        one_machine = {
            url: json.loads(data) for url, data in connection.execute("SELECT canonical_url, data FROM articles")
        }
    shared = ("-s", f"NEWS_STORE_URL={postgres_url}", "-s", f"NEWS_STORE_JOURNAL_PATH={tmp_path / 'journal'}",
              "-s", "CONCURRENT_REQUESTS=2", "-s", "DOWNLOAD_DELAY=0.1")  # fmt: skip
    workers = {name: start_worker(name, redis_url, base_url, tmp_path, *shared) for name in ("w1", "w2")}
    wait_until_ready(redis_url, workers)
    seed(redis_url)
    logs = {name: finish(worker, tmp_path, name) for name, worker in workers.items()}
    assert all(pages_downloaded(log) for log in logs.values()), "both workers should have taken part"
    assert not list(tmp_path.glob("w*.sqlite")), "a worker wrote a store of its own"
    store = PostgresStore(postgres_url, read_only=True, journal_path=tmp_path / "journal")
    try:
        stored = {article["canonical_url"]: article for article in store.articles()}
    finally:
        store.close()
    assert {url: {k: v for k, v in a.items() if k not in NOT_COMPARED} for url, a in stored.items()} == reference
    assert duplicate_groups(stored) == duplicate_groups(one_machine) != set()
    assert_nothing_left(redis_url)
