from crawler.extensions.report import (
    crawl_failures,
    crawl_notes,
    nothing_kept,
    render_report,
    render_summary,
)


def test_the_report_reads_at_a_glance() -> None:
    stats = {
        "response_received_count": 14, "httperror/response_ignored_count": 9, "replay/miss": 9,
        "news/listing_pages": 3, "item_scraped_count": 2, "store/new": 2, "dedupe/linked": 1,
        "item_dropped_reasons/missing_body": 1, "extract/generic_fallback/body": 1,
        "coverage/headline": 2, "coverage/body": 2, "coverage/tags": 1, "news/download_failed/http_404": 9,
    }  # fmt: skip
    report = render_report("example", "finished", stats)
    assert report.splitlines()[0] == "Crawl report: example (finished)"
    assert "pages seen         14 (HTTP errors ignored: 9, not stored in replay: 9)" in report
    assert "store              new 2, updated 0, unchanged 0" in report
    assert "dropped            missing_body 1" in report
    assert "download failures  http_404 9" in report
    assert "generic fallbacks  body 1" in report
    assert "headline 2/2" in report and "tags 1/2" in report and "section 0/2" in report


def test_an_empty_crawl_still_reports() -> None:
    report = render_report("akhbar", "finished", {})
    assert "articles kept      0" in report and "field coverage     no items" in report


# -- what fails a crawl, what is only said: the report's first lines and the exit status read the same rules ------


def test_a_spider_error_fails_the_crawl_on_the_reports_first_line() -> None:
    stats = {"spider_exceptions/count": 3, "spider_exceptions/KeyError": 2, "spider_exceptions/ValueError": 1,
             "item_scraped_count": 4, "news/start_pages": 2}  # fmt: skip
    assert crawl_failures(stats) == ["3 spider errors (KeyError 2, ValueError 1; tracebacks in the log)"]
    assert render_report("example", "finished", stats).splitlines()[0] == (
        "Crawl report: example (finished): FAILED, 3 spider errors (KeyError 2, ValueError 1; tracebacks in the log)"
    )


def test_a_crawl_none_of_whose_start_pages_could_be_had_failed() -> None:
    refused = {"news/start_pages": 3, "news/start_pages_failed": 3, "robotstxt/forbidden": 1,
               "news/download_failed/DownloadConnectionRefusedError": 2}  # fmt: skip
    assert crawl_failures(refused) == [
        "no start page could be fetched (DownloadConnectionRefusedError 2, forbidden by robots.txt 1)"
    ]
    # One start page of three had: the crawl did what it could, and the report counts the rest.
    assert crawl_failures({**refused, "news/start_pages_failed": 2, "news/listing_pages": 1}) == []
    assert crawl_failures({}) == []  # a crawl with no start pages of its own (distributed: from Redis)


def test_a_feed_not_written_fails_the_crawl() -> None:
    assert crawl_failures({"feedexport/write_failed": 1, "item_scraped_count": 3}) == [
        "1 feed not written in full (articles the store took are in it)"
    ]


def test_skipped_stored_articles_are_said_first_and_an_empty_crawl_says_why() -> None:
    stats = {"news/skipped/already_stored": 12, "news/listing_pages": 2, "news/start_pages": 2,
             "news/download_failed/http_404": 3}  # fmt: skip
    assert render_report("khabar", "finished", stats).splitlines()[:3] == [
        "Crawl report: khabar (finished)",
        "  12 articles already stored were not fetched again; -a refresh=1 fetches them",
        "  no articles kept: 12 already stored (-a refresh=1 fetches them), 3 pages not fetched (http_404 3)",
    ]
    assert crawl_failures(stats) == []  # nothing new is no failure: exit status 0
    kept = {**stats, "news/skipped/already_stored": 1, "item_scraped_count": 2}
    assert crawl_notes(kept) == ["1 article already stored was not fetched again; -a refresh=1 fetches them"]
    assert (
        nothing_kept({"news/listing_pages": 1}) == "no articles kept: the listings and feeds read linked to no article"
    )
    assert nothing_kept({"news/skipped/out_of_range": 4}) == "no articles kept: 4 outside -a since/until"


def test_the_summary_has_a_row_a_site_and_says_which_failed() -> None:
    summary = render_summary({
        "khabar": {"response_received_count": 9, "news/skipped/already_stored": 3, "news/listing_pages": 3},
        "example": {"response_received_count": 14, "item_scraped_count": 2, "store/new": 1, "store/unchanged": 1,
                    "news/download_failed/http_404": 9},
        "akhbar": {"store/lost": 2, "item_scraped_count": 2, "response_received_count": 6},
    })  # fmt: skip
    assert summary.splitlines() == [
        "Crawl summary: 3 sites, 1 failed",
        "  site     pages  kept  new/updated/unchanged  skipped  failures  status",
        "  akhbar       6     2                  0/0/0        0         0  FAILED: 2 articles lost (neither the store"
        " nor its pending file took them)",
        "  example     14     2                  1/0/1        0         9  ok",
        "  khabar       9     0                  0/0/0        3         0  nothing kept",
    ]
