from crawler.report import render_report


def test_the_report_reads_at_a_glance() -> None:
    stats = {
        "response_received_count": 14, "httperror/response_ignored_count": 9, "replay/miss": 9,
        "news/listing_pages": 3, "item_scraped_count": 2, "store/new": 2, "dedupe/linked": 1,
        "item_dropped_reasons/missing_body": 1, "extract/generic_fallback/body": 1,
        "coverage/headline": 2, "coverage/body": 2, "coverage/tags": 1, "news/download_failed/http_404": 9,
    }  # fmt: skip
    report = render_report("almayadeen", "finished", stats)
    assert report.splitlines()[0] == "Crawl report: almayadeen (finished)"
    assert "pages seen         14 (HTTP errors ignored: 9, not stored in replay: 9)" in report
    assert "store              new 2, updated 0, unchanged 0" in report
    assert "dropped            missing_body 1" in report
    assert "download failures  http_404 9" in report
    assert "generic fallbacks  body 1" in report
    assert "headline 2/2" in report and "tags 1/2" in report and "section 0/2" in report


def test_an_empty_crawl_still_reports() -> None:
    report = render_report("aljazeera", "finished", {})
    assert "articles kept      0" in report and "field coverage     no items" in report
