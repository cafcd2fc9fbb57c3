"""The bridge between scrapy-redis and Scrapy's async start API, so the spiders run unchanged.

scrapy-redis 0.9.1 feeds start URLs from Redis through its ``RedisMixin``,
which overrides ``start_requests()``, the method Scrapy 2.13 replaced with
``async def start()`` and 2.16 removed.  Rather than
change the spiders' base class, this spider middleware does the mixin's two
jobs for any spider:

- ``process_start`` replaces the spider's own start requests with the URLs
  waiting in Redis under ``<spider>:start_urls`` (``scrapy seed`` puts them
  there), ``{date...}`` placeholders filled as ``NewsSpider.start`` fills
  them;
- on ``spider_idle`` it reads more start URLs and keeps the spider open
  (``DontCloseSpider``) while the shared crawl may still give it work.

When a worker closes: once nothing is waiting under ``<spider>:start_urls``,
nothing in the shared queue and no worker has a request in flight, for
``DISTRIBUTED_IDLE_CLOSE`` seconds in a row (0: never close, a standing
worker that waits for the next seeding).  Nothing can then create new work
but a new seeding.  The scheduler (``crawler.distributed.inflight``) wakes the engine
every ``DISTRIBUTED_TICK`` (1 s), so idleness is checked that often.

The scheduler, dupefilter and queue are scrapy-redis's (``settings/distributed.py``);
``crawler.distributed.inflight`` adds the record of requests in flight.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from redis import Redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import BaseSettings
from scrapy_redis import connection, defaults

from crawler.distributed.inflight import (
    as_text,
    in_flight_count,
    inflight_key,
    workers_key,
)

logger = logging.getLogger(__name__)

DEFAULT_IDLE_CLOSE = 30.0


def start_urls_key(spider_name: str) -> str:
    return f"{spider_name}:start_urls"


def queue_key(settings: BaseSettings, spider_name: str) -> str:
    """scrapy-redis's request queue of the spider (``SCHEDULER_QUEUE_KEY``)."""
    return settings.get("SCHEDULER_QUEUE_KEY", defaults.SCHEDULER_QUEUE_KEY) % {"spider": spider_name}


def dupefilter_key(settings: BaseSettings, spider_name: str) -> str:
    """scrapy-redis's fingerprints of the requests the spider has seen (``SCHEDULER_DUPEFILTER_KEY``)."""
    return settings.get("SCHEDULER_DUPEFILTER_KEY", defaults.SCHEDULER_DUPEFILTER_KEY) % {"spider": spider_name}


def start_request(spider: Spider, url: str) -> Request:
    """The request ``NewsSpider.start`` makes for a start URL, with its ``{date}`` filled in.

    ``dont_filter``: a start URL is a listing or feed, fetched again at every
    seeding even though the persistent dupefilter has seen it.
    """
    if "{date" in url and (day := getattr(spider, "date", None)) is not None:
        url = url.format(date=day)
    return Request(url, callback=spider.parse, errback=getattr(spider, "download_failed", None), dont_filter=True)


def seed(server: Redis, settings: BaseSettings, spider_name: str, urls: Iterable[str], fresh: bool = False) -> int:
    """Push start URLs for the workers; ``fresh`` first forgets the spider's earlier crawl.

    Without ``fresh`` a page the shared dupefilter has seen (in this crawl
    or an earlier one, since it persists) is not downloaded again.  With it,
    the queue, the seen requests and the in-flight records are deleted: seed
    fresh only while no worker of the spider runs.
    """
    urls = list(urls)
    workers = [as_text(worker) for worker in server.smembers(workers_key(spider_name))] if fresh else []
    with server.pipeline() as pipe:
        if fresh:
            keys = [start_urls_key(spider_name), queue_key(settings, spider_name), dupefilter_key(settings, spider_name),
                    workers_key(spider_name), *(inflight_key(spider_name, worker) for worker in workers)]  # fmt: skip
            pipe.delete(*keys)
        if urls:
            pipe.rpush(start_urls_key(spider_name), *urls)
        pipe.execute()
    return len(urls)


class RedisStartUrls:
    """Spider middleware: start URLs from Redis, and the rule for when a worker closes."""

    def __init__(self, crawler: Crawler, server: Redis, idle_close: float) -> None:
        self.crawler = crawler
        self.server = server
        self.idle_close = idle_close
        self.idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisStartUrls:
        server = connection.from_settings(crawler.settings)
        middleware = cls(crawler, server, crawler.settings.getfloat("DISTRIBUTED_IDLE_CLOSE", DEFAULT_IDLE_CLOSE))
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        return middleware

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The start URLs waiting in Redis, instead of the spider's own (which ``scrapy seed`` pushed there)."""
        spider = self._spider()
        logger.info("Reading start URLs from Redis key %r", start_urls_key(spider.name))
        while (request := self._next_start_request(spider)) is not None:
            yield request

    def spider_idle(self, spider: Spider) -> None:
        """More start URLs if any; stay open while the shared crawl may still have work."""
        requests = []
        while (request := self._next_start_request(spider)) is not None:
            requests.append(request)
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests or self._shared_work(spider):
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        self.idle_since = self.idle_since or now
        if not self.idle_close or now - self.idle_since < self.idle_close:
            raise DontCloseSpider
        logger.info("Nothing queued or in flight on any worker for %.0f s: closing", now - self.idle_since)

    def _shared_work(self, spider: Spider) -> bool:
        queued = self.server.zcard(queue_key(self.crawler.settings, spider.name))
        return bool(queued or in_flight_count(self.server, spider.name))

    def _next_start_request(self, spider: Spider) -> Request | None:
        """One URL at a time: what a worker has popped is scheduled into the shared queue at once."""
        data = self.server.lpop(start_urls_key(spider.name))
        if data is None:
            return None
        url = data.decode("utf-8") if isinstance(data, bytes) else str(data)
        self._count("distributed/start_urls")
        return start_request(spider, url.strip())

    def _spider(self) -> Spider:
        assert self.crawler.spider is not None
        return self.crawler.spider

    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(key)
