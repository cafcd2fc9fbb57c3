"""One progress line every ``LOGSTATS_INTERVAL`` seconds, for a person following a crawl in a terminal.

Scrapy's LogStats says "Crawled N pages (at X pages/min), scraped M items":
it leaves out what a person watching a long crawl asks first (is anything
waiting, is anything failing) and logs a line of zeros the moment the crawl
opens.  This extension replaces it (``settings/base.py`` turns LogStats
off) with one line per interval::

    Progress: 120 pages (2.0 pages/s), 45 articles kept, 30 requests pending, 2 failed

- pages: responses received; the rate is over the last interval, so a crawl
  that slows down shows it at once;
- articles kept: items that came through every pipeline stage;
- requests pending: waiting in the scheduler plus being downloaded;
- failed: pages given up on (``news/download_failed/<reason>``) and pages
  the spider's code raised on (``spider_exceptions/count``).

The first line comes one interval after the crawl opens, so a crawl shorter
than the interval prints none: its end-of-crawl report says it all.
``-s LOGSTATS_INTERVAL=0`` turns the lines off.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import AsyncioLoopingCall, create_looping_call
from twisted.internet.task import LoopingCall

logger = logging.getLogger(__name__)

#: Stats keys whose sum is the "failed" figure: requests given up on, and pages the spider raised on.
FAILURE_PREFIX = "news/download_failed/"
SPIDER_ERRORS = "spider_exceptions/count"


@dataclass(frozen=True)
class Progress:
    """What one progress line says; made from the crawl stats, so a test can build one from real stats."""

    pages: int
    articles: int
    pages_per_second: float
    pending: int | None
    failed: int

    def render(self) -> str:
        pending = "? requests" if self.pending is None else _counted(self.pending, "request")
        return (f"Progress: {_counted(self.pages, 'page')} ({self.pages_per_second:.1f} pages/s), "
                f"{_counted(self.articles, 'article')} kept, {pending} pending, {self.failed} failed")  # fmt: skip


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def failures(stats: Mapping[str, Any]) -> int:
    """Pages given up on plus pages the spider raised on: the ones a person watching may want to look into."""
    given_up = sum(value for key, value in stats.items() if key.startswith(FAILURE_PREFIX))
    return given_up + stats.get(SPIDER_ERRORS, 0)


def pending_requests(crawler: Crawler) -> int | None:
    """Requests waiting in the scheduler and being downloaded; None when the engine cannot say.

    Scrapy's scheduler and scrapy-redis's (the distributed crawl's, which
    counts the queue all workers share) both have a length.  No engine yet, a
    scheduler without a length or a Redis that does not answer must not stop
    the crawl for a progress line: the figure is then unknown.
    """
    try:
        engine = crawler.engine
        return len(engine.scheduler) + len(engine.downloader.active)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - unknown, never fatal
        return None


class CrawlProgress:
    """The extension: a looping call that logs :class:`Progress` every interval while the spider runs."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.task: AsyncioLoopingCall | LoopingCall | None = None
        self.last_pages = 0
        self.last_time = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        interval = crawler.settings.getfloat("LOGSTATS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("LOGSTATS_INTERVAL is 0: no progress lines")
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.last_pages, self.last_time = 0, time.monotonic()
        self.task = create_looping_call(self.tick)
        self.task.start(self.interval, now=False)  # no line of zeros at the start, none for a short crawl

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()

    def measure(self, now: float) -> Progress:
        """The figures at ``now`` (``time.monotonic()``); the rate is since the previous measure."""
        stats = self.crawler.stats.get_stats()
        pages = stats.get("response_received_count", 0)
        elapsed = now - self.last_time
        rate = (pages - self.last_pages) / elapsed if elapsed > 0 else 0.0
        self.last_pages, self.last_time = pages, now
        return Progress(pages=pages, articles=stats.get("item_scraped_count", 0), pages_per_second=rate,
                        pending=pending_requests(self.crawler), failed=failures(stats))  # fmt: skip

    def tick(self, now: float | None = None) -> None:
        """Log one progress line (called by the looping call; a test may call it with its own ``now``)."""
        logger.info("%s", self.measure(time.monotonic() if now is None else now).render())
