"""The almayadeen spider end to end: a replayed crawl, as the README runs it."""

from collections.abc import Callable

from tests.spiders.conftest import CrawlResult, assert_items_are_the_cases

CASES = ("russia-suspends-nato-office", "lavrov-us-army-central-asia")


def test_replay_crawl_writes_the_two_articles_and_nothing_else(replay_crawl: Callable[..., CrawlResult]) -> None:
    result = replay_crawl("almayadeen")
    assert_items_are_the_cases(result.items, "almayadeen", CASES)
    # Listing links to stories that are not stored, and page 3, were answered 404 and counted.
    assert result.stat("replay/miss") == 9
    assert result.stat("news/listing_pages") == 3  # two listing pages and the RSS feed
