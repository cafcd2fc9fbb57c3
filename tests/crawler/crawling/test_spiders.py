"""NewsSpider's routing: articles, listings, feeds and pages that are none of these; its arguments; its failures.

The spider is a made-up site's (tests/sites/example.py), on pages made here in its markup.
"""

import asyncio

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.crawling.spiders import SpiderArgumentError
from crawler.items import Article
from tests.sites import ExampleSpider
from tests.sites import make_spider as make_site_spider

HEADLINE = "Office to close at the end of the month"
PARAGRAPH = "The minister said on Monday that the office in the capital would close at the end of the month."


def make_spider(**settings: object) -> ExampleSpider:
    return make_site_spider(ExampleSpider, settings)


def html(url: str, page: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=page.encode(), encoding="utf-8", request=Request(url))


def article_page(body_class: str = "entry-content") -> str:
    """An article of the site; with another ``body_class``, one whose body container its rules no longer match."""
    paragraphs = f"<p>{PARAGRAPH}</p>" * 4
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{HEADLINE} | The Example Post</title></head>'
            f'<body><main><article><h1 class="entry-title">{HEADLINE}</h1><div class="{body_class}">{paragraphs}</div>'
            "</article></main></body></html>")  # fmt: skip


def listing(page: int) -> HtmlResponse:
    """Page ``page`` of the site's /world listing: three stories, a link outside the list, and the next page."""
    stories = "".join(f'<li><a href="/news/story-{page}-{n}">Story {n}</a><time>18 Oct 2021 1{n}:00</time></li>'
                      for n in range(1, 4))  # fmt: skip
    url = "https://news.example/world" + (f"?page={page}" if page > 1 else "")
    return html(url, f'<html><body><header><a href="/news/the-most-read-story">Most read</a></header><main>'
                     f'<ul class="story-list">{stories}</ul><a class="next" href="/world?page={page + 1}">Next</a>'
                     "</main></body></html>")  # fmt: skip


def feed() -> XmlResponse:
    """The site's RSS feed: three stories."""
    url = "https://news.example/rss"
    items = "".join(f"<item><title>Story {n}</title><link>https://news.example/news/feed-story-{n}</link>"
                    f"<pubDate>Mon, 18 Oct 2021 1{n}:00:00 +0000</pubDate></item>" for n in range(1, 4))  # fmt: skip
    body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    return XmlResponse(url=url, body=body.encode(), encoding="utf-8", request=Request(url))


def test_listing_pages_lead_to_articles_and_the_next_page() -> None:
    results = list(make_spider().parse(listing(1)))
    articles = [r for r in results if r.callback.__name__ == "parse_article"]
    listings = [r for r in results if r.callback.__name__ == "parse"]
    # Only the listing's own links (listing_links), not the header's, in page order.
    assert [r.url for r in articles] == [f"https://news.example/news/story-1-{n}" for n in range(1, 4)]
    assert [r.url for r in listings] == ["https://news.example/world?page=2"]
    assert listings[0].meta["listing_page"] == 2


def test_listing_chains_stop_at_the_limit() -> None:
    spider = make_spider(NEWS_MAX_LISTING_PAGES=2)
    response = listing(2)
    response.request = Request(response.url, meta={"listing_page": 2})
    results = list(spider.parse(response))
    assert not [r for r in results if r.callback.__name__ == "parse"]
    assert len([r for r in results if r.callback.__name__ == "parse_article"]) == 3  # its articles still are
    assert spider.crawler.stats.get_value("news/listing_pages_over_limit") == 1


def test_feeds_lead_to_articles() -> None:
    results = list(make_spider().parse(feed()))
    assert [r.url for r in results] == [f"https://news.example/news/feed-story-{n}" for n in range(1, 4)]
    assert all(r.callback.__name__ == "parse_article" for r in results)


def test_an_article_url_given_as_start_url_is_extracted() -> None:
    (item,) = make_spider().parse(html("https://news.example/news/office-to-close", article_page()))
    assert isinstance(item, Article)
    assert item.headline == HEADLINE
    assert item.fetched_at


def test_generic_fallbacks_are_counted() -> None:
    """The site renamed its body container: the body still comes, from the generic finder, and the crawl says so."""
    spider = make_spider()
    (item,) = spider.parse_article(html("https://news.example/news/relayout", article_page("story-text")))
    assert item.body == "\n\n".join([PARAGRAPH] * 4)
    assert spider.crawler.stats.get_value("extract/generic_fallback/body") == 1
    assert spider.crawler.stats.get_value("extract/generic_path/main") == 1


@pytest.mark.parametrize("callback", ["parse", "parse_article"])
def test_binary_responses_are_skipped_and_counted(callback: str) -> None:
    spider = make_spider()
    pdf = Response(
        url="https://news.example/news/x",
        body=b"%PDF-1.4\x00\xff",
        headers={"Content-Type": "application/pdf"},
    )
    assert list(getattr(spider, callback)(pdf)) == []
    assert spider.crawler.stats.get_value("news/skipped/not_text") == 1


def test_start_urls_can_name_the_crawl_date() -> None:
    class Dated(ExampleSpider):
        start_urls = ["https://news.example/sitemaps/sitemap-{date.year}-{date.month}.xml"]

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
    url = "https://news.example/rss"
    assert list(spider.parse(XmlResponse(url=url, body=bomb, request=Request(url)))) == []
    assert spider.crawler.stats.get_value("news/feed_refused/entities") == 1
    whole = feed()
    cut = whole.replace(body=whole.body[: whole.body.rindex(b"<item>") + 20])
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
        ExampleSpider.check_arguments(arguments)
    assert str(refused.value) == message


@pytest.mark.parametrize(("value", "refresh"), [("1", True), ("YES", True), ("true", True), ("0", False),
                                                 ("no", False), ("False", False)])  # fmt: skip
def test_refresh_takes_the_usual_spellings_of_yes_and_no(value: str, refresh: bool) -> None:
    assert ExampleSpider.check_arguments({"refresh": value}) == []
    assert ExampleSpider.from_crawler(get_crawler(ExampleSpider), refresh=value).refresh is refresh


def test_an_unknown_argument_is_a_warning_not_an_error() -> None:
    assert ExampleSpider.check_arguments({"date": "2021-10-18", "bogus": "1"}) == [
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
    request = Request("https://news.example/news/not-stored")
    with caplog.at_level("DEBUG"):
        spider.download_failed(http_failure(request, 404))
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("DEBUG", f"Gave up on {request.url}: HTTP 404")
    ]
