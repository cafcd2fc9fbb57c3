from crawler.reporting.timeline import PagesTimeline, pages_per_second


def test_pages_are_counted_per_second_from_the_crawls_opening() -> None:
    timeline = PagesTimeline()
    for seconds in (0.1, 0.5, 0.9, 2.2):
        timeline.add(seconds)
    assert timeline.as_json() == {"bucket_seconds": 1.0, "pages": [3, 0, 1]}


def test_a_long_crawl_merges_buckets_and_never_holds_more_than_the_cap() -> None:
    timeline = PagesTimeline(max_buckets=8)
    for second in range(1000):  # a page a second for 1000 s
        timeline.add(second + 0.5)
        assert len(timeline.pages) <= 8
    assert sum(timeline.pages) == 1000  # merging keeps every page
    assert timeline.bucket_seconds == 128.0 and timeline.pages[0] == 128


def test_the_rate_of_the_last_bucket_is_over_the_part_the_crawl_lasted() -> None:
    points = pages_per_second({"bucket_seconds": 2.0, "pages": [4, 3]}, duration=3.0)
    assert points == [(2.0, 2.0), (3.0, 3.0)]  # the second bucket lasted 1 s, not 2
    assert pages_per_second({"bucket_seconds": 1.0, "pages": []}) == []
