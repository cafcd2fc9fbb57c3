"""The sadaelbalad spider end to end: RSS feed and both category pages."""

from collections.abc import Callable

from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.tools.casefiles import SnapshotCase
from spiders.sadaelbalad import SadaElBaladSpider
from tests.crawling import (
    ROOT,
    CrawlResult,
    assert_items_are_the_cases,
    duplicate_links,
)

CASES = ("lavrov-russia-never-join-nato", "no-json-ld", "json-ld-date-disagrees")


def test_replay_crawl_follows_the_feed_and_both_listing_pages(replay_crawl: Callable[..., CrawlResult]) -> None:
    result = replay_crawl("sadaelbalad")
    added = assert_items_are_the_cases(result.items, "sadaelbalad", CASES)
    # Three URLs, one story: two copies linked to the first one crawled.
    (original,) = set(duplicate_links(added).values())
    assert len(duplicate_links(added)) == 2 and original in added
    assert result.stat("news/listing_pages") == 3  # the feed and category pages 1 and 2
    assert result.stat("extract/disagreement/date_published") == 1


def test_the_shown_date_line_wins_over_a_drifting_json_ld() -> None:
    crawler = get_crawler(SadaElBaladSpider)
    crawler.stats.open_spider()
    spider = SadaElBaladSpider.from_crawler(crawler)
    case = SnapshotCase(ROOT / "snapshots" / "sadaelbalad" / "json-ld-date-disagrees")
    (item,) = spider.parse_article(HtmlResponse(url=case.url, body=case.page_bytes(), encoding="utf-8"))
    assert item.date_published == "2021-09-23T13:19:00+02:00"
    assert crawler.stats.get_value("extract/disagreement/date_published") == 1
