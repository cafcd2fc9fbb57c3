"""A feed that cannot be written: real replayed crawls with the feed on /dev/full (every write fails with ENOSPC).

The store still gets every article; the log gets one ERROR line naming the feed and the cause, never a
traceback; the stats count the feed as failed, for the crawl report and the exit status.  The crawls run
in the test process (tests/inprocess.py), but in a subprocess where its stdout is the full disk.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.crawling import ROOT, CrawlResult
from tests.inprocess import run_scrapy
from tests.needs import needs_dev_full

SITE = "sadaelbalad"  # three stored articles
ARTICLES = 3


def crawl_with_feed(tmp_path: Path, feed: str) -> tuple[CrawlResult, Path]:
    store = tmp_path / "articles.sqlite"
    # The exit status is not checked: it is the crawl report's business (crawler/extensions/report.py).
    result = run_scrapy("crawl", SITE, "-O", feed, "-s", f"NEWS_STORE_PATH={store}", project="replay")
    return CrawlResult(items=[], log=result.stderr, stats=result.stats()), store


def stored(store: Path) -> int:
    with closing(sqlite3.connect(store)) as connection:
        return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])


def feed_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if "[crawler.feeds.storage] ERROR: " in line]


@needs_dev_full
@pytest.mark.parametrize("feed_format", ["jsonl", "csv"])  # csv: a text wrapper flushes the file as it lets go
def test_a_feed_on_a_full_disk_is_one_error_line_a_count_and_the_store_has_every_article(
    tmp_path: Path, feed_format: str
) -> None:
    result, store = crawl_with_feed(tmp_path, f"/dev/full:{feed_format}")
    assert "Traceback" not in result.log and "Error storing" not in result.log, result.log
    (line,) = feed_errors(result.log)
    assert line.endswith(f"Feed /dev/full: writing failed ([Errno 28] No space left on device); nothing more is "
                         f"written to it, articles still go to the store {store}")  # fmt: skip
    assert result.stat("feedexport/write_failed") == 1
    assert result.stat("feedexport/failed_count/GuardedFileFeedStorage") == 1  # Scrapy's own count of failed feeds
    assert result.stat("feedexport/success_count/GuardedFileFeedStorage") is None
    assert stored(store) == ARTICLES and result.stat("item_scraped_count") == ARTICLES


def test_a_feed_that_cannot_be_opened_is_one_error_line_and_a_count(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("a file where the feed's folder should be", encoding="utf-8")
    feed = tmp_path / "not-a-folder" / "items.jsonl"
    result, store = crawl_with_feed(tmp_path, str(feed))
    assert "Traceback" not in result.log, result.log
    (line,) = feed_errors(result.log)
    assert f"Feed {feed}: cannot be opened (" in line
    assert result.stat("feedexport/write_failed") == 1
    assert result.stat("feedexport/failed_count/GuardedFileFeedStorage") == 1
    assert stored(store) == ARTICLES


def test_a_feed_that_can_be_written_is_stored_as_before(tmp_path: Path) -> None:
    feed = tmp_path / "items.jsonl"
    result, _ = crawl_with_feed(tmp_path, str(feed))
    assert feed_errors(result.log) == [] and result.stat("feedexport/write_failed") is None
    assert result.stat("feedexport/success_count/GuardedFileFeedStorage") == 1
    assert len(feed.read_text(encoding="utf-8").splitlines()) == ARTICLES


@needs_dev_full
def test_a_feed_to_stdout_on_a_full_disk_is_one_error_line(tmp_path: Path) -> None:
    store = tmp_path / "articles.sqlite"
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", SITE, "-o", "-:jsonl", "-s", f"NEWS_STORE_PATH={store}"],
            cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, stdout=full, stderr=subprocess.PIPE, text=True,
            timeout=300, check=False,
        )  # fmt: skip
    crawl = CrawlResult(items=[], log=result.stderr)
    assert "Traceback" not in crawl.log, crawl.log
    (line,) = feed_errors(crawl.log)
    assert "Feed stdout: writing failed ([Errno 28] No space left on device)" in line
    assert crawl.stat("feedexport/write_failed") == 1 and result.returncode == 1
    assert stored(store) == ARTICLES
