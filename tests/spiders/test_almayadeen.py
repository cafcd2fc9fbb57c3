"""The almayadeen spider end to end: a replayed crawl, as the README runs it."""

from collections.abc import Callable

from tests.crawling import CrawlResult, assert_items_are_the_cases, duplicate_links

CASES = ("russia-suspends-nato-office", "lavrov-us-army-central-asia")


def test_replay_crawl_writes_the_two_articles_and_nothing_else(replay_crawl: Callable[..., CrawlResult]) -> None:
    result = replay_crawl("almayadeen")
    added = assert_items_are_the_cases(result.items, "almayadeen", CASES)
    assert duplicate_links(added) == {}  # two different stories
    # Listing links to stories that are not stored, and page 3, were answered 404 and counted.
    assert result.stat("replay/miss") == 9
    assert result.stat("news/listing_pages") == 3  # two listing pages and the RSS feed
