from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.downloader.retry import (
    DELAY_META,
    BackoffRetryMiddleware,
    retry_after_seconds,
)


def middleware(**settings: object) -> BackoffRetryMiddleware:
    crawler = get_crawler(settings_dict={"RETRY_TIMES": 3, "RETRY_BACKOFF_BASE": 1.0, "RETRY_BACKOFF_MAX": 10.0,
                                         **settings})  # fmt: skip
    crawler.stats.open_spider()
    crawler.spider = Spider.from_crawler(crawler, name="probe")  # the middleware logs under the crawl's spider
    return BackoffRetryMiddleware.from_crawler(crawler)


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert retry_after_seconds(b"120") == 120.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True).encode()
    assert 25 <= retry_after_seconds(later) <= 30
    assert retry_after_seconds(b"soon") == 0.0 and retry_after_seconds(None) == 0.0


def test_each_retry_waits_twice_as_long_up_to_the_cap() -> None:
    retry = middleware()
    assert [retry.backoff(times) for times in (1, 2, 3, 4, 10)] == [1.0, 2.0, 4.0, 8.0, 10.0]


def test_a_429_is_retried_after_what_the_server_asked() -> None:
    retry = middleware()
    request = Request("https://see.news/rss")
    response = Response(request.url, status=429, headers={"Retry-After": "5"}, request=request)
    retried = retry.process_response(request, response)
    assert isinstance(retried, Request) and retried.meta[DELAY_META] == 5.0
    assert retry.process_response(request, Response(request.url, status=200, request=request)).status == 200
