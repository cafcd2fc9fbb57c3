"""``scrapy report DIR``: the page drawn again from report.json; a wrong folder or a broken JSON is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.reporting.document import crawl_document, site_section, write_report
from crawler.reporting.html import render_html
from tests.crawler.reporting.test_document import FINISHED, crawl_stats
from tests.inprocess import ScrapyRun, run_scrapy


def report(*arguments: str) -> ScrapyRun:
    return run_scrapy("report", *arguments)


def test_report_draws_the_page_again_from_the_json_and_prints_its_path(tmp_path: Path) -> None:
    folder = write_report(tmp_path, crawl_document("crawl", [site_section("example", crawl_stats())]))
    page = folder / "report.html"
    drawn = page.read_text(encoding="utf-8")
    page.unlink()
    result = report(str(folder))
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{page}\n", "")
    assert page.read_text(encoding="utf-8") == drawn
    # The folder of reports: its latest crawl.  Its report.json: that crawl.
    later = write_report(tmp_path, crawl_document("crawl", [site_section("example", crawl_stats(start_time=FINISHED))]))
    assert report(str(tmp_path)).stdout == f"{later / 'report.html'}\n"
    assert report(str(folder / "report.json")).stdout == f"{page}\n"


def test_a_report_edited_by_hand_is_drawn_as_it_now_says(tmp_path: Path) -> None:
    document = crawl_document("crawl", [site_section("example", crawl_stats())])
    folder = write_report(tmp_path, document)
    text = (folder / "report.json").read_text(encoding="utf-8").replace('"articles_kept": 2', '"articles_kept": 7')
    (folder / "report.json").write_text(text, encoding="utf-8")
    assert report(str(folder)).returncode == 0
    document["sites"]["example"]["figures"]["articles_kept"] = 7
    assert (folder / "report.html").read_text(encoding="utf-8") == render_html(document)


@pytest.mark.parametrize(
    ("arguments", "content", "status", "message"),
    [
        ((), None, 2, "report: give one report folder (NEWS_REPORT_DIR/<crawl id>)"),
        (("{tmp}/nope",), None, 2, "report: no such folder: {tmp}/nope"),
        (("{tmp}",), None, 2, "report: no report.json in {tmp}"),
        (("{tmp}",), '{"format": "newsframe-crawl-', 1, "report: {tmp}/report.json is not valid JSON (Unterminated"),
        (("{tmp}",), "[1, 2]", 1, 'report: {tmp}/report.json is not a crawl report (no "format"'),
        (
            ("{tmp}",),
            '{"format": "newsframe-crawl-report/1", "sites": {"x": "not a section"}}',
            1,
            "report: cannot draw {tmp} (AttributeError:",
        ),
        (("--open", "{tmp}"), None, 2, "report: unknown option --open"),
    ],
)
def test_a_wrong_folder_or_a_broken_report_is_one_line_and_no_traceback(
    tmp_path: Path, arguments: tuple[str, ...], content: str | None, status: int, message: str
) -> None:
    if content is not None:
        (tmp_path / "report.json").write_text(content, encoding="utf-8")
    result = report(*(argument.format(tmp=tmp_path) for argument in arguments))
    assert result.returncode == status, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(message.format(tmp=tmp_path)), result.stderr
    assert result.stdout == "" and not (tmp_path / "report.html").exists()
