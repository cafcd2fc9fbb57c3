"""The report page in a real headless Chromium with its network off (tests/browser.py).

A replayed ``scrapy crawlall --report`` writes the report; the page must
show report.json's figures, load nothing, and show a hostile value as text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.reporting.document import crawl_document, site_section, write_report
from tests.browser import browser  # noqa: F401
from tests.crawler.commands.test_crawl import replay
from tests.crawler.reporting.test_document import crawl_stats
from tests.crawler.reporting.test_html import HOSTILE

#: Every marked figure of the page: its site, its path in the site's JSON section, and the text shown.
SHOWN_FIGURES = """return Array.from(document.querySelectorAll('[data-figure]'))
    .map(element => [element.dataset.site, element.dataset.figure, element.textContent])"""
#: What the page asked of the network: resources fetched, and the elements that could fetch any.
REQUESTS = """return {resources: performance.getEntriesByType('resource').map(entry => entry.name),
    fetching: Array.from(document.querySelectorAll('script, link, img, iframe, object, embed, [src]'))
        .map(element => element.outerHTML)}"""


@pytest.fixture(scope="module")
def crawled_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report folder of one replayed crawlall of the four sites."""
    tmp_path = tmp_path_factory.mktemp("crawlall")
    result = replay(tmp_path, "crawlall", "-a", "date=2021-10-18", "--output-dir", str(tmp_path / "feeds"),
                    "--report", str(tmp_path / "reports"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    [folder] = (tmp_path / "reports").iterdir()
    return folder


def open_page(driver: Any, folder: Path) -> dict[str, Any]:
    driver.get((folder / "report.html").as_uri())
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def test_the_page_shows_the_figures_of_report_json(browser: Any, crawled_report: Path) -> None:  # noqa: F811
    document = open_page(browser, crawled_report)
    shown = browser.execute_script(SHOWN_FIGURES)
    assert {site for site, _, _ in shown} == set(document["sites"]) and len(document["sites"]) == 4
    for site, path, text in shown:
        group, _, name = path.partition("/")
        assert float(text) == document["sites"][site][group][name], (site, path)
    for site, section in document["sites"].items():
        paths = {path for shown_site, path, _ in shown if shown_site == site}
        assert {f"figures/{name}" for name in section["figures"]} <= paths
        assert {f"coverage/{name}" for name in section["coverage"]} <= paths
        assert {f"download_failures/{name}" for name in section["download_failures"]} <= paths
    assert "Crawl report" in browser.title
    # A drift signal is highlighted exactly when it is above zero.
    alerts = browser.execute_script(
        "return Array.from(document.querySelectorAll('.drift-alert')).map(e => [e.dataset.site, e.dataset.figure])"
    )
    for site, section in document["sites"].items():
        for signal in ("generic_fallbacks", "date_disagreements"):
            assert ([site, f"totals/{signal}"] in alerts) == (section["totals"][signal] > 0), (site, signal)
    charts = browser.execute_script("return document.querySelectorAll('svg.line-chart polyline').length")
    assert charts == 4


def test_the_page_needs_no_network(browser: Any, crawled_report: Path) -> None:  # noqa: F811
    open_page(browser, crawled_report)
    assert browser.execute_script(REQUESTS) == {"resources": [], "fetching": []}
    # Drawn with the network off: its styles applied (no style sheet to wait for).
    color = browser.execute_script("return getComputedStyle(document.querySelector('.status-ok')).backgroundColor")
    assert color not in ("", "rgba(0, 0, 0, 0)")


def test_a_hostile_value_shows_as_text(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    stats = crawl_stats(**{f"item_dropped_reasons/{HOSTILE}": 3, "validation/<img src=x onerror=alert(2)>": 1})
    folder = write_report(tmp_path, crawl_document("crawl", [site_section("example", stats)]))
    open_page(browser, folder)
    cell = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-figure]'))"
        ".filter(e => e.dataset.figure === arguments[0]).map(e => e.parentElement.textContent)",
        f"dropped/{HOSTILE}",
    )
    assert cell == [f"{HOSTILE}3"]
    assert ["example", "totals/generic_fallbacks"] in browser.execute_script(
        "return Array.from(document.querySelectorAll('.drift-alert')).map(e => [e.dataset.site, e.dataset.figure])"
    )  # crawl_stats has one generic fallback: highlighted
    assert browser.execute_script("return document.querySelectorAll('script, img').length") == 0
    assert HOSTILE in browser.find_element("tag name", "body").text
