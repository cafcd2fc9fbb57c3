"""The report's files at the end of a real (replayed) crawl: one folder a crawl, the JSON the crawl's own stats.

``scrapy crawl`` and ``scrapy crawlall`` in the test process (tests/inprocess.py), each with its own store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.extensions.report_files import CrawlReportFiles
from crawler.reporting.document import BREAKDOWNS, FIGURES
from tests.crawler.commands.test_crawl import replay

SITES = ["aljazeera", "almayadeen", "persian_aggregator", "sadaelbalad"]


def report_folders(report_dir: Path) -> list[Path]:
    return sorted(path for path in report_dir.iterdir() if path.is_dir())


def assert_section_is_the_crawls(section: dict[str, Any], stats: dict[str, Any]) -> None:
    """Every figure of the section is the stats' value under the key it is read from."""
    for name, key in FIGURES.items():
        assert section["figures"][name] == stats.get(key, 0), name
    for group, prefix in BREAKDOWNS.items():
        for reason, count in section[group].items():
            assert stats[prefix + reason] == count, (group, reason)
    assert section["download_failures"] and section["figures"]["articles_kept"] > 0
    for field, count in section["coverage"].items():
        assert stats.get(f"coverage/{field}", 0) == count
    assert sum(section["timeline"]["pages"]) == stats["response_received_count"]  # every page is in the timeline
    assert section["stats"]["item_scraped_count"] == stats["item_scraped_count"]
    assert section["finish_reason"] == stats["finish_reason"] == "finished"


def test_a_crawl_writes_its_report_folder_when_asked(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    result = replay(tmp_path, "crawl", "almayadeen", "-s", f"NEWS_REPORT_DIR={reports}")
    assert result.returncode == 0, result.stderr
    [folder] = report_folders(reports)
    assert folder.name.endswith("Z-almayadeen") and folder.name[:4].isdigit()
    assert sorted(path.name for path in folder.iterdir()) == ["report.html", "report.json"]
    document = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert (document["command"], document["crawl_id"], document["status"], document["exit_status"]) == (
        "crawl",
        folder.name,
        "ok",
        0,
    )
    assert list(document["sites"]) == ["almayadeen"]
    stats = result.stats()
    assert stats is not None
    assert_section_is_the_crawls(document["sites"]["almayadeen"], stats)
    assert f"Crawl report written: {folder / 'report.html'}" in result.stderr
    assert "Crawl report: almayadeen (finished)" in result.stderr  # the log report stays


def test_crawlall_writes_one_report_of_every_site(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    result = replay(tmp_path, "crawlall", "-a", "date=2021-10-18", "--output-dir", str(tmp_path / "feeds"),
                    "--report", str(reports))  # fmt: skip
    assert result.returncode == 0, result.stderr
    [folder] = report_folders(reports)  # one folder, not one a crawl
    assert folder.name.endswith("Z-crawlall")
    document = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert document["command"] == "crawlall" and list(document["sites"]) == SITES
    for site in SITES:
        stats = result.stats(site)
        assert stats is not None
        assert_section_is_the_crawls(document["sites"][site], stats)
    assert document["started"] == min(section["started"] for section in document["sites"].values())
    assert result.stderr.rstrip().splitlines()[-6] == "Crawl summary: 4 sites, 0 failed"  # the table still ends it


def test_a_report_that_cannot_be_written_is_one_error_line_and_the_crawl_goes_on(tmp_path: Path) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("", encoding="utf-8")
    result = replay(tmp_path, "crawl", "sadaelbalad", "--report", str(in_the_way / "reports"))
    assert result.returncode == 0, result.stderr
    assert "The crawl report could not be written to" in result.stderr and "Traceback" not in result.stderr
    assert result.stat("store/new") == 3


def test_without_a_report_folder_the_extension_stays_off() -> None:
    with pytest.raises(NotConfigured):
        CrawlReportFiles.from_crawler(get_crawler(settings_dict={"NEWS_REPORT_DIR": ""}))
