"""Why a page was given up: each reason name, from the failures Scrapy's own parts raise."""

import gzip

import pytest
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.settings import BaseSettings, Settings
from scrapy.spidermiddlewares.httperror import HttpError, HttpErrorMiddleware
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.downloader.failures import ForbiddenByRobots, SkippedRequest, failure_reason
from crawler.downloader.redirects import LoopSafeRedirectMiddleware, RedirectLoop

URL = "https://news.example/news/1"
SETTINGS = Settings()


def raised(call, *args: object) -> Failure:
    """The Failure an errback would get for what ``call(*args)`` raises."""
    try:
        call(*args)
    except Exception:
        return Failure()
    raise AssertionError(f"{call} raised nothing")


def crawler_with_spider(**settings: object):
    crawler = get_crawler(settings_dict=settings)
    crawler.spider = Spider.from_crawler(crawler, name="probe")
    return crawler


@pytest.mark.parametrize("status", [404, 403, 410, 500, 503])
def test_an_http_error_is_named_by_its_status(status: int) -> None:
    crawler = crawler_with_spider()
    errors = HttpErrorMiddleware.from_crawler(crawler)
    request = Request(URL)
    failure = raised(errors.process_spider_input, Response(URL, status=status, request=request))
    assert failure.check(HttpError)
    assert failure_reason(failure, request, SETTINGS) == f"http_{status}"


@pytest.mark.parametrize("skipped", [SkippedRequest("already stored"), ForbiddenByRobots("Forbidden by robots.txt")])
def test_a_request_skipped_on_purpose_is_no_failure(skipped: IgnoreRequest) -> None:
    assert failure_reason(Failure(skipped), Request(URL), SETTINGS) is None
    assert failure_reason(Failure(skipped), None, SETTINGS) is None


def test_a_skipped_request_at_the_redirect_limit_is_still_no_failure() -> None:
    request = Request(URL, meta={"redirect_times": 20})
    assert failure_reason(Failure(SkippedRequest("already stored")), request, SETTINGS) is None


def test_a_download_cancelled_over_the_size_limit_is_too_large() -> None:
    error = DownloadCancelledError(
        "Cancelling download of https://news.example/big: expected response size (99999) larger than download max size (1000)."
    )
    assert failure_reason(Failure(error), Request(URL), SETTINGS) == "too_large"
    assert failure_reason(Failure(error), None, SETTINGS) == "too_large"


def test_a_body_over_the_limit_once_decompressed_is_too_large() -> None:
    crawler = crawler_with_spider(DOWNLOAD_MAXSIZE=10_000)
    compression = HttpCompressionMiddleware.from_crawler(crawler)
    request = Request(URL)
    bomb = gzip.compress(b"<html>" + b" " * 1_000_000 + b"</html>")
    response = Response(URL, body=bomb, headers={"Content-Encoding": "gzip"}, request=request)
    failure = raised(compression.process_response, request, response)
    assert type(failure.value) is IgnoreRequest  # a bare IgnoreRequest: only its message says why
    assert failure_reason(failure, request, crawler.settings) == "too_large"


def test_a_redirect_loop_is_a_redirect_loop() -> None:
    redirects = LoopSafeRedirectMiddleware.from_crawler(crawler_with_spider())
    request = Request(URL)
    response = Response(URL, status=301, headers={"Location": URL}, request=request)
    failure = raised(redirects.process_response, request, response)
    assert failure.check(RedirectLoop)
    assert failure_reason(failure, request, SETTINGS) == "redirect_loop"
    assert failure_reason(failure, None, SETTINGS) == "redirect_loop"


def test_a_chain_past_the_redirect_limit_is_too_many_redirects() -> None:
    crawler = crawler_with_spider(REDIRECT_MAX_TIMES=2)
    redirects = LoopSafeRedirectMiddleware.from_crawler(crawler)
    request = Request("https://news.example/0")
    for step in (1, 2):
        followed = redirects.process_response(
            request, Response(request.url, status=302, headers={"Location": f"/{step}"}, request=request)
        )
        assert isinstance(followed, Request)
        request = followed
    failure = raised(
        redirects.process_response,
        request,
        Response(request.url, status=302, headers={"Location": "/3"}, request=request),
    )
    assert type(failure.value) is IgnoreRequest
    assert failure_reason(failure, request, crawler.settings) == "too_many_redirects"
    # Read against a higher limit, the same request is short of it: a plain IgnoreRequest.
    assert failure_reason(failure, request, Settings({"REDIRECT_MAX_TIMES": 3})) == "IgnoreRequest"


@pytest.mark.parametrize(
    ("redirect_times", "reason"), [(19, "IgnoreRequest"), (20, "too_many_redirects"), (25, "too_many_redirects")]
)
def test_the_redirect_limit_defaults_to_scrapys_20(redirect_times: int, reason: str) -> None:
    request = Request(URL, meta={"redirect_times": redirect_times})
    failure = Failure(IgnoreRequest("max redirections reached"))
    assert failure_reason(failure, request, SETTINGS) == reason
    assert failure_reason(failure, request, BaseSettings()) == reason  # no REDIRECT_MAX_TIMES at all: 20


def test_an_ignored_request_without_redirects_or_without_a_request_keeps_its_name() -> None:
    failure = Failure(IgnoreRequest("a middleware chose to skip it"))
    assert failure_reason(failure, Request(URL), SETTINGS) == "IgnoreRequest"
    assert failure_reason(failure, None, SETTINGS) == "IgnoreRequest"


@pytest.mark.parametrize(
    ("error", "name"),
    [
        (DNSLookupError("no such host"), "DNSLookupError"),
        (TimeoutError(), "TimeoutError"),
        (TCPTimedOutError(), "TCPTimedOutError"),
        (ConnectionRefusedError(), "ConnectionRefusedError"),
        (ResponseNeverReceived([Failure(ConnectionRefusedError())]), "ResponseNeverReceived"),
        (ValueError("Missing scheme in request url"), "ValueError"),
    ],
)
def test_any_other_failure_keeps_its_exception_name(error: Exception, name: str) -> None:
    assert failure_reason(Failure(error), Request(URL), SETTINGS) == name


def test_a_transport_error_at_the_redirect_limit_keeps_its_own_name() -> None:
    request = Request(URL, meta={"redirect_times": 50})
    assert failure_reason(Failure(DNSLookupError("gone")), request, SETTINGS) == "DNSLookupError"


def test_an_http_error_wins_over_everything_else_about_the_request() -> None:
    request = Request(URL, meta={"redirect_times": 50})
    error = HttpError(Response(URL, status=429, request=request), "Ignoring non-200 response")
    assert failure_reason(Failure(error), request, SETTINGS) == "http_429"


def test_a_redirect_loop_is_named_by_its_type_whatever_its_urls_say() -> None:
    loop = RedirectLoop("redirect loop: https://news.example/DOWNLOAD_MAXSIZE -> https://news.example/DOWNLOAD_MAXSIZE")
    assert (
        failure_reason(Failure(loop), Request("https://news.example/DOWNLOAD_MAXSIZE"), Settings()) == "redirect_loop"
    )
