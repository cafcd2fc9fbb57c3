"""The scrapy-redis bridge against a real redis-server: start URLs from Redis, and when a worker closes.

The spider is a made-up site's (tests/sites/akhbar.py), whose start pages include one named by the crawl's day.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import scrapy
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.test import get_crawler

from crawler.distributed.inflight import inflight_key, workers_key
from crawler.distributed.seeding import RedisStartUrls, queue_key, seed, start_urls_key
from tests.sites import AkhbarSpider


def middleware_for(redis_url: str, idle_close: float = 0.0) -> RedisStartUrls:
    crawler = get_crawler(AkhbarSpider, {"REDIS_URL": redis_url, "DISTRIBUTED_IDLE_CLOSE": idle_close})
    crawler.spider = AkhbarSpider.from_crawler(crawler, date="2021-10-18")
    return RedisStartUrls.from_crawler(crawler)


async def own_start() -> AsyncIterator[Any]:
    yield scrapy.Request("https://akhbar.example/not-a-start-url-in-distributed-mode")


def read_start(middleware: RedisStartUrls) -> list[scrapy.Request]:
    async def collect() -> list[scrapy.Request]:
        return [request async for request in middleware.process_start(own_start())]

    return asyncio.run(collect())


def test_start_requests_come_from_redis_with_the_day_filled_in(redis_url: str) -> None:
    middleware = middleware_for(redis_url)
    spider = middleware.crawler.spider
    assert seed(middleware.server, middleware.crawler.settings, "akhbar", AkhbarSpider.start_urls) == 3
    requests = read_start(middleware)
    # The same requests NewsSpider.start makes, from the URLs waiting in Redis, in order.
    assert [request.url for request in requests] == [url.format(date=spider.date) for url in AkhbarSpider.start_urls]
    assert any("yyyy=2021&mm=10&dd=18" in request.url for request in requests)
    assert all(request.callback == spider.parse and request.errback == spider.download_failed for request in requests)
    assert all(request.dont_filter for request in requests)  # a listing is fetched again at each seeding
    assert middleware.server.llen(start_urls_key("akhbar")) == 0  # taken: no other worker reads them again
    assert read_start(middleware) == []


def test_a_fresh_seeding_forgets_the_earlier_crawl(redis_url: str) -> None:
    middleware = middleware_for(redis_url)
    server, settings = middleware.server, middleware.crawler.settings
    server.sadd("akhbar:dupefilter", "seen-fingerprint")
    server.zadd(queue_key(settings, "akhbar"), {"left-over": 0})
    server.sadd(workers_key("akhbar"), "gone")
    server.zadd(inflight_key("akhbar", "gone"), {"left-over-in-flight": 0})
    seed(server, settings, "akhbar", ["https://akhbar.example/rss"], fresh=True)
    assert server.keys("akhbar:*") == [start_urls_key("akhbar").encode()]


def test_an_idle_worker_stays_open_while_any_worker_has_work(redis_url: str) -> None:
    middleware = middleware_for(redis_url, idle_close=0.05)
    spider, server = middleware.crawler.spider, middleware.server
    server.sadd(workers_key("akhbar"), "other")
    server.zadd(inflight_key("akhbar", "other"), {"a-request-in-flight": 0})
    for _ in range(2):
        with pytest.raises(DontCloseSpider):
            middleware.spider_idle(spider)
        time.sleep(0.1)
    server.delete(inflight_key("akhbar", "other"))
    server.zadd(queue_key(middleware.crawler.settings, "akhbar"), {"a-queued-request": 0})
    with pytest.raises(DontCloseSpider):
        middleware.spider_idle(spider)
    server.delete(queue_key(middleware.crawler.settings, "akhbar"))
    # Nothing anywhere: it waits out DISTRIBUTED_IDLE_CLOSE once, then lets the spider close.
    with pytest.raises(DontCloseSpider):
        middleware.spider_idle(spider)
    time.sleep(0.1)
    assert middleware.spider_idle(spider) is None


def test_idle_close_zero_is_a_standing_worker(redis_url: str) -> None:
    middleware = middleware_for(redis_url, idle_close=0)
    for _ in range(3):
        with pytest.raises(DontCloseSpider):
            middleware.spider_idle(middleware.crawler.spider)
