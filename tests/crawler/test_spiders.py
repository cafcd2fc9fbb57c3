"""NewsSpider's routing: articles, listings, feeds and pages that are none of these."""

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.casefiles import SnapshotCase
from crawler.items import Article
from spiders.almayadeen import AlMayadeenSpider

SNAPSHOTS = Path(__file__).resolve().parents[2] / "snapshots" / "almayadeen"


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
    pdf = Response(url="https://english.almayadeen.net/news/politics/x", body=b"%PDF-1.4\x00\xff",
                   headers={"Content-Type": "application/pdf"})
    assert list(getattr(spider, callback)(pdf)) == []
    assert spider.crawler.stats.get_value("news/skipped/not_text") == 1


def test_start_urls_can_name_the_crawl_date() -> None:
    import asyncio

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
