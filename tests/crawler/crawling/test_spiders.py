"""NewsSpider's routing: articles, listings, feeds and pages that are none of these; its arguments; its failures."""

import asyncio
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.crawling.spiders import SpiderArgumentError
from crawler.items import Article
from crawler.tools.casefiles import SnapshotCase
from spiders.almayadeen import AlMayadeenSpider

SNAPSHOTS = Path(__file__).resolve().parents[3] / "snapshots" / "almayadeen"


def make_spider(**settings: object) -> AlMayadeenSpider:
    crawler = get_crawler(AlMayadeenSpider, settings_dict=settings)
    crawler.stats.open_spider()
    spider = AlMayadeenSpider.from_crawler(crawler)
    return spider


def stored(case_name: str) -> Response:
    case = SnapshotCase(SNAPSHOTS / case_name)
    response_class = XmlResponse if case.kind == "feed" else HtmlResponse
    return response_class(url=case.url, body=case.page_bytes(), encoding="utf-8", request=Request(case.url))


def test_listing_pages_lead_to_articles_and_the_next_page() -> None:
    results = list(make_spider().parse(stored("listing-politics")))
    articles = [r for r in results if r.callback.__name__ == "parse_article"]
    listings = [r for r in results if r.callback.__name__ == "parse"]
    assert articles[0].url.endswith("/russia-suspends-work-of-nato-information-office-in-moscow")
    assert [r.url for r in listings] == ["https://english.almayadeen.net/news/politics?page=2"]
    assert listings[0].meta["listing_page"] == 2


def test_listing_chains_stop_at_the_limit() -> None:
    spider = make_spider(NEWS_MAX_LISTING_PAGES=2)
    response = stored("listing-politics-page-2")
    response.request = Request(response.url, meta={"listing_page": 2})
    results = list(spider.parse(response))
    assert not [r for r in results if r.callback.__name__ == "parse"]
    assert spider.crawler.stats.get_value("news/listing_pages_over_limit") == 1


def test_feeds_lead_to_articles() -> None:
    results = list(make_spider().parse(stored("rss")))
    assert len(results) == 3 and all(r.callback.__name__ == "parse_article" for r in results)


def test_an_article_url_given_as_start_url_is_extracted() -> None:
    (item,) = make_spider().parse(stored("russia-suspends-nato-office"))
    assert isinstance(item, Article)
    assert item.headline == "Russia Suspends Work of NATO Information Office in Moscow"
    assert item.fetched_at


def test_generic_fallbacks_are_counted() -> None:
    spider = make_spider()
    (item,) = spider.parse_article(stored("missing-body-container"))
    assert item.body
    assert spider.crawler.stats.get_value("extract/generic_fallback/body") == 1
    assert spider.crawler.stats.get_value("extract/generic_path/main") == 1


@pytest.mark.parametrize("callback", ["parse", "parse_article"])
def test_binary_responses_are_skipped_and_counted(callback: str) -> None:
    spider = make_spider()
    pdf = Response(
        url="https://english.almayadeen.net/news/politics/x",
        body=b"%PDF-1.4\x00\xff",
        headers={"Content-Type": "application/pdf"},
    )
    assert list(getattr(spider, callback)(pdf)) == []
    assert spider.crawler.stats.get_value("news/skipped/not_text") == 1


def test_start_urls_can_name_the_crawl_date() -> None:
    class Dated(AlMayadeenSpider):
        start_urls = ["https://english.almayadeen.net/sitemaps/all/sitemap-{date.year}-{date.month}.xml"]

    crawler = get_crawler(Dated)
    spider = Dated.from_crawler(crawler, date="2021-10-18")

    async def first_request() -> Request:
        return await anext(aiter(spider.start()))

    assert asyncio.run(first_request()).url.endswith("/sitemap-2021-10.xml")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        Dated.from_crawler(get_crawler(Dated), date="18/10/2021")


def test_a_feed_bomb_is_refused_and_a_malformed_feed_read_as_far_as_it_goes() -> None:
    spider = make_spider()
    bomb = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "a"><!ENTITY b "&a;&a;">]><rss><item><link>&b;</link></item></rss>'
    url = "https://english.almayadeen.net/rss"
    assert list(spider.parse(XmlResponse(url=url, body=bomb, request=Request(url)))) == []
    assert spider.crawler.stats.get_value("news/feed_refused/entities") == 1
    feed = stored("rss")
    cut = feed.replace(body=feed.body[: feed.body.rindex(b"<item>") + 20])
    assert len(list(spider.parse(cut))) == 2  # the two whole entries of three
    assert spider.crawler.stats.get_value("news/feed_malformed") == 1


# -- spider arguments, checked before the crawl starts -------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"date": "2021-13-45"}, "-a date='2021-13-45': give the day as YYYY-MM-DD"),
        ({"date": "2021-W42-1"}, "-a date='2021-W42-1': give the day as YYYY-MM-DD"),  # ISO, but no day a person writes
        ({"since": "20211001"}, "-a since='20211001': give the day as YYYY-MM-DD"),
        ({"until": ""}, "-a until='': give the day as YYYY-MM-DD"),
        ({"refresh": "maybe"}, "-a refresh='maybe': give 1 or 0 (or true/false, yes/no)"),
        ({"since": "2021-10-31", "until": "2021-10-01"}, "-a since=2021-10-31 is after -a until=2021-10-01: no day is"
                                                         " in that range"),
        ({"rules": "x"}, "-a rules: that is the spider's own rules, not an argument (known: date, since, until, refresh)"),
    ],
    ids=["impossible-day", "iso-week", "no-dashes", "empty", "refresh", "since-after-until", "attribute"],
)  # fmt: skip
def test_arguments_the_spider_cannot_use_are_refused_with_the_fix(arguments: dict[str, str], message: str) -> None:
    with pytest.raises(SpiderArgumentError) as refused:
        AlMayadeenSpider.check_arguments(arguments)
    assert str(refused.value) == message


@pytest.mark.parametrize(("value", "refresh"), [("1", True), ("YES", True), ("true", True), ("0", False),
                                                 ("no", False), ("False", False)])  # fmt: skip
def test_refresh_takes_the_usual_spellings_of_yes_and_no(value: str, refresh: bool) -> None:
    assert AlMayadeenSpider.check_arguments({"refresh": value}) == []
    assert AlMayadeenSpider.from_crawler(get_crawler(AlMayadeenSpider), refresh=value).refresh is refresh


def test_an_unknown_argument_is_a_warning_not_an_error() -> None:
    assert AlMayadeenSpider.check_arguments({"date": "2021-10-18", "bogus": "1"}) == [
        "-a bogus: no such argument (known: date, since, until, refresh); ignored"
    ]


def http_failure(request: Request, status: int) -> Failure:
    """What Scrapy hands an errback for an HTTP error: the Failure, with the request on it."""
    failure = Failure(HttpError(Response(request.url, status=status, request=request)))
    failure.request = request  # type: ignore[attr-defined]
    return failure


def test_start_pages_are_counted_and_so_are_those_that_failed() -> None:
    """For the report's rule: a crawl none of whose start pages could be had failed (crawler/extensions/report.py)."""
    spider = make_spider()

    async def start_requests() -> list[Request]:
        return [request async for request in spider.start()]

    requests = asyncio.run(start_requests())
    assert spider.crawler.stats.get_value("news/start_pages") == len(spider.start_urls) == len(requests)
    spider.download_failed(http_failure(requests[0], 404))
    assert spider.crawler.stats.get_value("news/start_pages_failed") == 1
    assert spider.crawler.stats.get_value("news/download_failed/http_404") == 1


def test_an_http_error_is_logged_at_debug_only(caplog: pytest.LogCaptureFixture) -> None:
    """Routine, and many in a replay (links to pages nobody stored): the report counts them instead."""
    spider = make_spider()
    request = Request("https://english.almayadeen.net/news/politics/not-stored")
    with caplog.at_level("DEBUG"):
        spider.download_failed(http_failure(request, 404))
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("DEBUG", f"Gave up on {request.url}: HTTP 404")
    ]
