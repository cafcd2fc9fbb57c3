"""The almayadeen spider end to end: a replayed crawl, as the README runs it."""

from collections.abc import Callable

from tests.spiders.conftest import CrawlResult, expected_output

ARTICLES = {
    "https://english.almayadeen.net/news/politics/russia-suspends-work-of-nato-information-office-in-moscow":
        "russia-suspends-nato-office",
    "https://english.almayadeen.net/news/politics/lavrov-russia-does-not-want-us-army-in-central-asia":
        "lavrov-us-army-central-asia",
}  # fmt: skip


def test_replay_crawl_writes_the_two_articles_and_nothing_else(replay_crawl: Callable[..., CrawlResult]) -> None:
    result = replay_crawl("almayadeen")
    assert sorted(item["url"] for item in result.items) == sorted(ARTICLES)
    for item in result.items:
        assert item.pop("fetched_at").endswith("+00:00")
        assert item == expected_output("almayadeen", ARTICLES[item["url"]])
    # Listing links to stories that are not stored, and page 3, were answered 404 and counted.
    assert result.stat("replay/miss") == 9
    assert result.stat("news/listing_pages") == 3  # two listing pages and the RSS feed
