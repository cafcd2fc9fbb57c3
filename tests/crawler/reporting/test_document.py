"""The report's JSON, from a crawl's stats: the log report's figures per site, and the crawl's folder."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crawler.extensions.report import REPORTED_FIELDS
from crawler.reporting.document import (
    FORMAT,
    ReportError,
    crawl_document,
    crawl_id,
    find_report,
    read_report,
    site_section,
    write_report,
)

STARTED = datetime(2026, 12, 5, 7, 40, 12, 250000, tzinfo=UTC)
FINISHED = datetime(2026, 12, 5, 7, 41, 2, 500000, tzinfo=UTC)


def crawl_stats(**more: Any) -> dict[str, Any]:
    return {
        "start_time": STARTED, "finish_time": FINISHED, "elapsed_time_seconds": 50.25, "finish_reason": "finished",
        "response_received_count": 14, "replay/miss": 9, "news/listing_pages": 3, "news/start_pages": 2,
        "item_scraped_count": 2, "store/new": 1, "store/unchanged": 1, "dedupe/linked": 1,
        "item_dropped_reasons/missing_body": 1, "news/download_failed/http_404": 9,
        "validation/date_in_future": 1, "extract/generic_fallback/body": 1, "extract/generic_path/main": 1,
        "extract/disagreement/date_published": 2, "coverage/headline": 2, "coverage/tags": 1,
        "spider_exceptions/count": 0, **more,
    }  # fmt: skip


def test_a_sites_section_has_the_log_reports_figures_by_name() -> None:
    section = site_section("example", crawl_stats(), {"bucket_seconds": 1.0, "pages": [10, 4]})
    assert section["status"] == "ok" and section["failures"] == [] and section["finish_reason"] == "finished"
    assert section["started"] == "2026-12-05T07:40:12.250000Z" and section["duration_seconds"] == 50.25
    figures = section["figures"]
    assert (figures["pages_seen"], figures["articles_kept"], figures["new"], figures["unchanged"]) == (14, 2, 1, 1)
    assert figures["not_stored_in_replay"] == 9 and figures["duplicates_linked"] == 1 and figures["lost"] == 0
    assert section["dropped"] == {"missing_body": 1}
    assert section["download_failures"] == {"http_404": 9}
    assert section["validation"] == {"date_in_future": 1}
    assert section["generic_fallbacks"] == {"body": 1} and section["date_disagreements"] == {"date_published": 2}
    assert section["spider_exceptions"] == {}  # the count is the spider_errors figure, not an exception's name
    # A bar for every Article field, in the log report's order, absent fields at 0.
    assert list(section["coverage"]) == list(REPORTED_FIELDS)
    assert (
        section["coverage"]["headline"] == 2 and section["coverage"]["tags"] == 1 and section["coverage"]["body"] == 0
    )
    assert section["totals"] == {
        "skipped": 0, "dropped": 1, "download_failures": 9, "validation_notes": 1,
        "generic_fallbacks": 1, "date_disagreements": 2, "pages_per_second": 0.28,
    }  # fmt: skip
    assert section["timeline"] == {"bucket_seconds": 1.0, "pages": [10, 4]}
    assert section["stats"]["start_time"] == "2026-12-05T07:40:12.250000Z"  # every counter, times as text
    json.dumps(section)  # all of it JSON


def test_the_crawls_status_and_exit_status_follow_the_failure_rules_of_the_log_report() -> None:
    ok = site_section("example", crawl_stats())
    failed = site_section("akhbar", crawl_stats(**{"store/lost": 2}))
    empty = site_section("khabar", {"news/skipped/already_stored": 3, "news/listing_pages": 1})
    document = crawl_document("crawlall", [ok, failed, empty])
    assert list(document["sites"]) == ["akhbar", "example", "khabar"]
    assert document["format"] == FORMAT and document["command"] == "crawlall"
    assert (document["status"], document["exit_status"]) == ("failed", 1)
    assert document["exit_status_meaning"].startswith("1: ")
    assert document["failures"] == {"akhbar": ["2 articles lost (neither the store nor its pending file took them)"]}
    assert document["sites"]["khabar"]["status"] == "nothing kept"
    assert document["sites"]["khabar"]["notes"][0].startswith("3 articles already stored were not fetched again")
    assert document["crawl_id"] == "2026-12-05T07-40-12Z-crawlall"
    assert (document["started"], document["duration_seconds"]) == ("2026-12-05T07:40:12.250000Z", 50.25)
    single = crawl_document("crawl", [ok])
    assert (single["crawl_id"], single["status"], single["exit_status"]) == ("2026-12-05T07-40-12Z-example", "ok", 0)


def test_a_crawl_id_is_one_safe_folder_name() -> None:
    assert crawl_id(STARTED, "../../etc/<x>") == "2026-12-05T07-40-12Z-_.._etc_x_"
    assert "/" not in crawl_id(STARTED, "a/b") and crawl_id(STARTED, "..") == "2026-12-05T07-40-12Z-crawl"


def test_a_report_never_overwrites_another_and_the_folder_of_crawls_opens_the_latest(tmp_path: Path) -> None:
    first = write_report(tmp_path, crawl_document("crawl", [site_section("example", crawl_stats())]))
    second = write_report(tmp_path, crawl_document("crawl", [site_section("example", crawl_stats())]))
    assert (first.name, second.name) == ("2026-12-05T07-40-12Z-example", "2026-12-05T07-40-12Z-example-2")
    assert read_report(second)["crawl_id"] == second.name  # the JSON names the folder it is in
    assert (second / "report.html").is_file()
    later = crawl_document("crawl", [site_section("example", crawl_stats(start_time=FINISHED))])
    latest = write_report(tmp_path, later)
    assert find_report(tmp_path) == latest
    assert find_report(first) == first and find_report(first / "report.json") == first


def test_a_wrong_folder_or_a_broken_json_is_a_report_error_with_its_exit_status(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no such folder") as missing:
        find_report(tmp_path / "nope")
    assert missing.value.status == 2
    with pytest.raises(ReportError, match="no report.json in") as empty:
        find_report(tmp_path)
    assert empty.value.status == 2
    (tmp_path / "report.json").write_text('{"format": ', encoding="utf-8")
    with pytest.raises(ReportError, match="is not valid JSON") as broken:
        read_report(tmp_path)
    assert broken.value.status == 1
    (tmp_path / "report.json").write_text('{"items": []}', encoding="utf-8")
    with pytest.raises(ReportError, match="is not a crawl report"):
        read_report(tmp_path)
