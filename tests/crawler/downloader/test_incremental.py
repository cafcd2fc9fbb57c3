"""Incremental, bounded and interrupted crawls, end to end: ``scrapy crawl`` subprocesses, a real store file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.downloader.incremental import skips_stored
from tests.crawling import ROOT, CrawlResult

SITE = "sadaelbalad"  # three stored articles behind a feed and two category pages
ARTICLES = 3
LISTINGS = 3


def stored_urls(store: Path) -> list[str]:
    with sqlite3.connect(store) as connection:
        return [row[0] for row in connection.execute("SELECT canonical_url FROM articles ORDER BY 1")]


#: A replayed crawl made incremental, as a live crawl is (settings/replay.py turns the skip off).
AS_LIVE = ("-s", "NEWS_SKIP_STORED=1")


def test_a_second_live_crawl_stores_nothing_new_downloads_no_stored_article_and_says_so(
    replay_crawl: Callable[..., CrawlResult], tmp_path: Path
) -> None:
    store = tmp_path / "articles.sqlite"
    first = replay_crawl(SITE, *AS_LIVE, store=store)
    assert first.stat("store/new") == ARTICLES
    second = replay_crawl(SITE, *AS_LIVE, store=store)
    assert second.items == []
    assert second.stat("store/new") is None
    assert second.stat("news/skipped/already_stored") == ARTICLES
    assert second.stat("replay/hit") == LISTINGS  # the feed and the listings, no article page
    # The report's first lines say why the feed is empty, and so does the crawl's last line (exit status 0).
    assert ("Crawl report: sadaelbalad (finished)\n"
            "  3 articles already stored were not fetched again; -a refresh=1 fetches them\n"
            "  no articles kept: 3 already stored (-a refresh=1 fetches them), ") in second.log  # fmt: skip
    assert (
        second.log.rstrip()
        .splitlines()[-1]
        .startswith("crawl: sadaelbalad: no articles kept: 3 already stored (-a refresh=1 fetches them)")
    )
    refreshed = replay_crawl(SITE, *AS_LIVE, "-a", "refresh=1", store=store)
    assert refreshed.stat("store/unchanged") == ARTICLES
    assert len(refreshed.items) == ARTICLES and "not fetched again" not in refreshed.log
    assert len(stored_urls(store)) == ARTICLES


def test_a_replayed_crawl_writes_its_items_every_time(replay_crawl: Callable[..., CrawlResult], tmp_path: Path) -> None:
    """A demonstration and a regression run: the same items on every run, whatever the store already holds."""
    store = tmp_path / "articles.sqlite"
    first = replay_crawl(SITE, store=store)
    again = replay_crawl(SITE, store=store)
    assert len(first.items) == len(again.items) == ARTICLES
    assert sorted(item["url"] for item in again.items) == sorted(item["url"] for item in first.items)
    assert again.stat("store/unchanged") == ARTICLES and again.stat("news/skipped/already_stored") is None
    assert "not fetched again" not in again.log


@pytest.mark.parametrize(
    ("settings", "skips"),
    [
        ({}, True),  # a live crawl
        ({"NEWS_MIRROR_URL": "http://127.0.0.1:8080"}, False),  # the mirror serves the same stored pages every time
        ({"NEWS_MIRROR_URL": "http://127.0.0.1:8080", "NEWS_SKIP_STORED": "1"}, True),
        ({"NEWS_SKIP_STORED": False}, False),  # settings/replay.py
        ({"NEWS_SKIP_STORED": "0"}, False),
    ],
)
def test_which_crawls_skip_stored_articles(settings: dict[str, object], skips: bool) -> None:
    assert skips_stored(Settings({**LIVE_DEFAULTS, **settings})) is skips


#: What settings/base.py holds for the two settings the rule reads.
LIVE_DEFAULTS = {"NEWS_SKIP_STORED": None, "NEWS_MIRROR_URL": ""}


def test_a_date_range_keeps_articles_in_it_and_stops_at_older_listings(
    replay_crawl: Callable[..., CrawlResult],
) -> None:
    later = replay_crawl(SITE, "-a", "since=2021-10-01")
    assert later.items == []
    assert later.stat("news/skipped/out_of_range") == 1  # only the feed's article was fetched
    assert later.stat("news/listing_pages_older_than_since") == 2  # the feed and page 1: page 2 not followed
    inside = replay_crawl(SITE, "-a", "since=2021-09-23", "-a", "until=2021-09-23")
    assert len(inside.items) == ARTICLES


def committed_urls(store: Path) -> list[str]:
    """The URLs committed so far, read while the crawl writes; none while the store is not readable yet.

    The crawl creates the file first and its tables (and WAL files) a moment later: a look in between fails
    with "no such table" or cannot open the file, which means "nothing committed yet", not an error; the
    caller looks again until its deadline.  Read-only, so the look never creates the file or takes a lock
    the crawl waits for.
    """
    if not store.exists():
        return []
    try:
        with closing(sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)) as connection:
            return [row[0] for row in connection.execute("SELECT canonical_url FROM articles ORDER BY 1")]
    except sqlite3.OperationalError:
        return []


def test_a_crawl_killed_mid_way_loses_nothing_and_the_rerun_stores_each_article_once(
    replay_crawl: Callable[..., CrawlResult], tmp_path: Path
) -> None:
    store = tmp_path / "articles.sqlite"
    slow = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", SITE, "-s", f"NEWS_STORE_PATH={store}", "-s", "REPLAY_DELAY=0.7",
         "-s", "CONCURRENT_REQUESTS=1", *AS_LIVE],
        cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        seen_before_kill: list[str] = []
        while time.monotonic() < deadline and not seen_before_kill:
            time.sleep(0.1)
            seen_before_kill = committed_urls(store)
    finally:
        slow.send_signal(signal.SIGKILL)
        slow.wait(timeout=30)
    # One more article may have been committed between the look and the kill.
    after_kill = stored_urls(store)
    assert set(seen_before_kill) <= set(after_kill)  # what was committed survived the kill
    assert 0 < len(after_kill) < ARTICLES, "the crawl should be part-way when it is killed"
    rerun = replay_crawl(SITE, *AS_LIVE, store=store)
    assert rerun.stat("news/skipped/already_stored") == len(after_kill)
    assert len(stored_urls(store)) == ARTICLES
    with sqlite3.connect(store) as connection:
        assert connection.execute("SELECT max(version) FROM articles").fetchone()[0] == 1


def test_jobdir_resumes_where_a_stopped_crawl_left_off(
    replay_crawl: Callable[..., CrawlResult], tmp_path: Path
) -> None:
    store, jobdir = tmp_path / "articles.sqlite", tmp_path / "job"
    stopped = replay_crawl(SITE, "-s", f"JOBDIR={jobdir}", "-s", "CLOSESPIDER_ITEMCOUNT=1", "-s", "CONCURRENT_REQUESTS=1",
                           store=store)  # fmt: skip
    assert "closespider_itemcount" in stopped.log
    fetched_first = stopped.stat("replay/hit") or 0
    resumed = replay_crawl(SITE, "-s", f"JOBDIR={jobdir}", store=store)
    assert len(stored_urls(store)) == ARTICLES
    # The resumed crawl took up the pending requests instead of starting over.
    assert (resumed.stat("replay/hit") or 0) + fetched_first <= LISTINGS + ARTICLES + 1
