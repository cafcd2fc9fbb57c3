"""The persian_aggregator spider end to end: listing page and feed to the stored articles."""

from collections.abc import Callable

from tests.crawling import CrawlResult, assert_items_are_the_cases, duplicate_links

CASES = ("lavrov-nato-buried-consultation", "lavrov-nato-persian-digits", "impossible-date")
ZWNJ = "\u200c"


def test_replay_crawl_reaches_the_stored_articles(replay_crawl: Callable[..., CrawlResult]) -> None:
    result = replay_crawl("persian_aggregator")
    added = assert_items_are_the_cases(result.items, "persian_aggregator", CASES)
    # The mirror copy (Arabic letters, Persian digits) and the seed are one story with the third copy.
    (original,) = set(duplicate_links(added).values())
    assert len(duplicate_links(added)) == 2 and original in added
    seed = next(item for item in result.items if item["url"].endswith("278fdfb599b6aad3876a40399c3be680"))
    assert seed["section"] == f"بین{ZWNJ}الملل"
    assert seed["body"].count(ZWNJ) == 9
    # The impossible date is kept as text, without an instant, and the item is not lost.
    impossible = next(item for item in result.items if item["url"].endswith("18ff"))
    assert impossible["date_published_raw"] == "15:44 - 32 مهر 1400" and "date_published" not in impossible
    # ... and warned about once, by the article that loses it: not again by the listing that shows it too.
    warnings = [line for line in result.log.splitlines() if "WARNING: Impossible Solar Hijri date" in line]
    assert len(warnings) == 1, warnings
