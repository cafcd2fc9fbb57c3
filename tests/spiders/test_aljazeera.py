"""The aljazeera spider end to end, both layouts, every way in (listing, RSS, daily sitemap)."""

from collections.abc import Callable
from pathlib import Path

from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.tools.casefiles import SnapshotCase
from spiders.aljazeera import AlJazeeraSpider
from tests.crawling import (
    ROOT,
    CrawlResult,
    assert_items_are_the_cases,
    duplicate_links,
)

CASES = ("ajn-russia-ends-nato-mission", "old-layout-russia-ends-nato-mission")


def test_replay_crawl_reaches_both_layouts_once_each(replay_crawl: Callable[..., CrawlResult]) -> None:
    result = replay_crawl("aljazeera", "-a", "date=2021-10-18")
    added = assert_items_are_the_cases(result.items, "aljazeera", CASES)
    # The same story in both layouts: kept twice, the later copy linked to the first.
    (original,) = set(duplicate_links(added).values())
    assert len(duplicate_links(added)) == 1 and original in added
    # Listing page, RSS feed and the day's sitemap were all read ...
    assert result.stat("news/listing_pages") == 3
    # ... and the same articles met there percent-encoded, unencoded and under /amp/ were fetched once.
    assert result.stat("replay/hit") == 5


def test_a_renamed_body_container_is_counted_as_a_fallback() -> None:
    crawler = get_crawler(AlJazeeraSpider)
    crawler.stats.open_spider()
    spider = AlJazeeraSpider.from_crawler(crawler)
    for name in ("ajn-russia-ends-nato-mission-renamed-body", "old-layout-renamed-body"):
        case = SnapshotCase(Path(ROOT) / "snapshots" / "aljazeera" / name)
        (item,) = spider.parse_article(HtmlResponse(url=case.url, body=case.page_bytes(), encoding="utf-8"))
        assert item.headline and item.date_published and item.body
    assert crawler.stats.get_value("extract/generic_fallback/body") == 2
