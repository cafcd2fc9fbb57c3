"""The progress line: real replayed crawls for when it shows, the extension's tick on real stats for what it says."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.extensions.progress import CrawlProgress
from tests.crawling import CrawlResult

LINE_RE = re.compile(
    r"\[crawler\.extensions\.progress\] INFO: Progress: (\d+) pages? \(\d+\.\d pages/s\), (\d+) articles? kept, "
    r"(\d+) requests? pending, (\d+) failed$"
)


def progress_lines(log: str) -> list[tuple[int, int, int, int]]:
    return [tuple(map(int, match.groups())) for line in log.splitlines() if (match := LINE_RE.search(line))]  # type: ignore[misc]


def test_a_slow_crawl_shows_progress_lines_instead_of_scrapys(replay_crawl: Callable[..., CrawlResult]) -> None:
    # Seven pages, one at a time, each answered after 0.4 s: the crawl outlasts a 0.2 s interval many times over.
    result = replay_crawl("sadaelbalad", "-s", "LOGSTATS_INTERVAL=0.2", "-s", "REPLAY_DELAY=0.4",
                          "-s", "CONCURRENT_REQUESTS=1")  # fmt: skip
    lines = progress_lines(result.log)
    assert lines, result.log
    assert "[scrapy.extensions.logstats]" not in result.log and "pages/min" not in result.log  # LogStats is off
    pages = [line[0] for line in lines]
    assert pages == sorted(pages) and pages[-1] <= (result.stat("response_received_count") or 0)
    assert all(articles <= len(result.items) for _, articles, _, _ in lines)
    # With the engine running, what is pending is known (a number, not "?"); a request is mostly downloading.
    assert any(pending > 0 for _, _, pending, _ in lines)


def test_a_crawl_shorter_than_the_interval_prints_no_progress_line(replay_crawl: Callable[..., CrawlResult]) -> None:
    result = replay_crawl("sadaelbalad")  # a second or two; the interval is 30 s
    assert progress_lines(result.log) == []
    assert (
        "Progress:" not in result.log and "[scrapy.extensions.logstats]" not in result.log
    )  # not even a line of zeros


def test_tick_logs_one_line_from_the_crawl_stats(caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler(settings_dict={"LOGSTATS_INTERVAL": 10.0})
    progress = CrawlProgress.from_crawler(crawler)
    stats = crawler.stats
    stats.open_spider()
    progress.last_time = 100.0
    stats.set_value("response_received_count", 30)
    stats.set_value("item_scraped_count", 1)
    stats.set_value("news/download_failed/http_404", 2)
    stats.set_value("news/download_failed/TimeoutError", 1)
    stats.set_value("spider_exceptions/count", 1)
    stats.set_value("spider_exceptions/ValueError", 1)  # the same error again, by type: not counted twice
    with caplog.at_level(logging.INFO, logger="crawler.extensions.progress"):
        progress.tick(now=110.0)
        stats.set_value("response_received_count", 35)
        progress.tick(now=120.0)
    # No engine (the crawl has not started): what is pending is unknown, and said so.
    assert [record.getMessage() for record in caplog.records] == [
        "Progress: 30 pages (3.0 pages/s), 1 article kept, ? requests pending, 4 failed",
        "Progress: 35 pages (0.5 pages/s), 1 article kept, ? requests pending, 4 failed",  # the rate is the interval's
    ]


def test_an_interval_of_zero_turns_progress_off() -> None:
    with pytest.raises(NotConfigured):
        CrawlProgress.from_crawler(get_crawler(settings_dict={"LOGSTATS_INTERVAL": 0}))
