"""Incremental, bounded and interrupted crawls, end to end: ``scrapy crawl`` subprocesses, a real store file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.crawling import ROOT, CrawlResult

SITE = "sadaelbalad"  # three stored articles behind a feed and two category pages
ARTICLES = 3
LISTINGS = 3


def stored_urls(store: Path) -> list[str]:
    with sqlite3.connect(store) as connection:
        return [row[0] for row in connection.execute("SELECT canonical_url FROM articles ORDER BY 1")]


def test_a_second_crawl_stores_nothing_new_and_downloads_no_stored_article(
    replay_crawl: Callable[..., CrawlResult], tmp_path: Path
) -> None:
    store = tmp_path / "articles.sqlite"
    first = replay_crawl(SITE, store=store)
    assert first.stat("store/new") == ARTICLES
    second = replay_crawl(SITE, store=store)
    assert second.items == []
    assert second.stat("store/new") is None
    assert second.stat("news/skipped/already_stored") == ARTICLES
    assert second.stat("replay/hit") == LISTINGS  # the feed and the listings, no article page
    refreshed = replay_crawl(SITE, "-a", "refresh=1", store=store)
    assert refreshed.stat("store/unchanged") == ARTICLES
    assert len(stored_urls(store)) == ARTICLES


def test_a_date_range_keeps_articles_in_it_and_stops_at_older_listings(replay_crawl: Callable[..., CrawlResult]) -> None:
    later = replay_crawl(SITE, "-a", "since=2021-10-01")
    assert later.items == []
    assert later.stat("news/skipped/out_of_range") == 1  # only the feed's article was fetched
    assert later.stat("news/listing_pages_older_than_since") == 2  # the feed and page 1: page 2 not followed
    inside = replay_crawl(SITE, "-a", "since=2021-09-23", "-a", "until=2021-09-23")
    assert len(inside.items) == ARTICLES


def test_a_crawl_killed_mid_way_loses_nothing_and_the_rerun_stores_each_article_once(
    replay_crawl: Callable[..., CrawlResult], tmp_path: Path
) -> None:
    store = tmp_path / "articles.sqlite"
    slow = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", SITE, "-s", f"NEWS_STORE_PATH={store}", "-s", "REPLAY_DELAY=0.7",
         "-s", "CONCURRENT_REQUESTS=1"],
        cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (store.exists() and stored_urls(store)):
            time.sleep(0.1)
        seen_before_kill = stored_urls(store)
    finally:
        slow.send_signal(signal.SIGKILL)
        slow.wait(timeout=30)
    # One more article may have been committed between the look and the kill.
    after_kill = stored_urls(store)
    assert set(seen_before_kill) <= set(after_kill)  # what was committed survived the kill
    assert 0 < len(after_kill) < ARTICLES, "the crawl should be part-way when it is killed"
    rerun = replay_crawl(SITE, store=store)
    assert rerun.stat("news/skipped/already_stored") == len(after_kill)
    assert len(stored_urls(store)) == ARTICLES
    with sqlite3.connect(store) as connection:
        assert connection.execute("SELECT max(version) FROM articles").fetchone()[0] == 1


def test_jobdir_resumes_where_a_stopped_crawl_left_off(replay_crawl: Callable[..., CrawlResult], tmp_path: Path) -> None:
    store, jobdir = tmp_path / "articles.sqlite", tmp_path / "job"
    stopped = replay_crawl(SITE, "-s", f"JOBDIR={jobdir}", "-s", "CLOSESPIDER_ITEMCOUNT=1", "-s", "CONCURRENT_REQUESTS=1",
                           store=store)  # fmt: skip
    assert "closespider_itemcount" in stopped.log
    fetched_first = stopped.stat("replay/hit") or 0
    resumed = replay_crawl(SITE, "-s", f"JOBDIR={jobdir}", store=store)
    assert len(stored_urls(store)) == ARTICLES
    # The resumed crawl took up the pending requests instead of starting over.
    assert (resumed.stat("replay/hit") or 0) + fetched_first <= LISTINGS + ARTICLES + 1
