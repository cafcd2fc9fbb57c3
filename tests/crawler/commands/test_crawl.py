"""``scrapy crawl`` and ``scrapy crawlall``: the exit status says whether the crawl did its job."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from crawler.store import ArticleStore
from tests.crawling import ROOT
from tests.locking import store_locked

#: The store refuses at once and is tried again soon: the crawl reaches its end quickly.
IMPATIENT_STORE = ("-s", "NEWS_STORE_BUSY_TIMEOUT=0.1", "-s", "NEWS_STORE_RETRY_INTERVAL=0.1")


def replay(tmp_path: Path, *command: str, disk_full: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *command, "-s", f"NEWS_STORE_PATH={tmp_path / 'articles.sqlite'}",
         *IMPATIENT_STORE],
        cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, capture_output=True, text=True, timeout=300,
        preexec_fn=no_file_may_grow if disk_full else None,
    )  # fmt: skip


def no_file_may_grow() -> None:
    """A full disk, for this process only: every write that would grow a file fails (EFBIG), even as root."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def test_a_crawl_that_lost_articles_exits_non_zero_and_says_so_first(tmp_path: Path) -> None:
    store_path = tmp_path / "articles.sqlite"
    ArticleStore(store_path).close()
    # The store is locked by another process and the disk is full: no journal beside it can be written either.
    with store_locked(store_path):
        result = replay(tmp_path, "crawl", "almayadeen", disk_full=True)  # no feed: a feed on a full disk is issue 19's
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "Crawl report: almayadeen (finished): FAILED, 2 articles lost" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("crawl: almayadeen failed: 2 articles lost")


def test_crawlall_exits_non_zero_when_one_site_lost_articles(tmp_path: Path) -> None:
    store_path = tmp_path / "articles.sqlite"
    ArticleStore(store_path).close()
    with store_locked(store_path):
        result = replay(tmp_path, "crawlall", "-a", "date=2021-10-18", "--output-dir", str(tmp_path / "feeds"),
                        disk_full=True)  # fmt: skip
    assert result.returncode == 1, result.stderr
    # The only tracebacks are Scrapy's for the four feeds the full disk cut short (crawler/feedstorage.py).
    assert result.stderr.count("Traceback") == result.stderr.count("FeedIncomplete: ") == 4, result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("crawlall: ")]
    assert {line.split()[1] for line in failed} == {"aljazeera", "almayadeen", "persian_aggregator", "sadaelbalad"}


def test_a_crawl_that_stored_its_articles_exits_zero(tmp_path: Path) -> None:
    result = replay(tmp_path, "crawl", "sadaelbalad", "-O", str(tmp_path / "items.jsonl"))
    assert result.returncode == 0, result.stderr
    assert "failed" not in result.stderr.splitlines()[-1]



def test_an_unknown_spider_is_one_line_naming_the_known_ones(tmp_path: Path) -> None:
    result = replay(tmp_path, "crawl", "nosuch")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith(  # "scrapy: error: ..." ("__main__.py" under -m)
        "error: no spider named 'nosuch'; the spiders are: aljazeera, almayadeen, persian_aggregator, sadaelbalad"
    )
