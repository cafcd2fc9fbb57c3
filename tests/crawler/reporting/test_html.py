"""The report page, from a document: one file, every figure marked with its place in the JSON, hostile text inert."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from crawler.reporting.document import crawl_document, site_section
from crawler.reporting.html import render_html
from tests.crawler.reporting.test_document import crawl_stats

HOSTILE = "<script>alert(1)</script>"


class Page(HTMLParser):
    """What a test reads of a page: the tags used, the marked figures, the text of each."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.figures: dict[tuple[str, str], str] = {}
        self.classes: dict[tuple[str, str], str] = {}
        self._open: tuple[str, str] | None = None
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "data-figure" in attributes:
            self._open = (str(attributes["data-site"]), str(attributes["data-figure"]))
            self.classes[self._open] = str(attributes.get("class"))
            self.figures[self._open] = ""

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open is not None:
            self.figures[self._open] += data


def value_at(document: dict[str, Any], site: str, path: str) -> Any:
    group, _, name = path.partition("/")
    return document["sites"][site][group][name]


def test_every_figure_shown_is_the_jsons() -> None:
    document = crawl_document(
        "crawl", [site_section("example", crawl_stats(), {"bucket_seconds": 1.0, "pages": [9, 5]})]
    )
    page = Page(render_html(document))
    assert len(page.figures) > 40
    for (site, path), shown in page.figures.items():
        assert float(shown) == value_at(document, site, path), path
    section = document["sites"]["example"]
    shown = {path for _, path in page.figures}
    # The list: articles kept/new/updated/unchanged/skipped, drops and failures by reason, validation
    # notes, a bar per Article field, the drift signals.
    assert {"figures/articles_kept", "figures/new", "figures/updated", "figures/unchanged", "totals/skipped"} <= shown
    assert {"dropped/missing_body", "download_failures/http_404", "validation/date_in_future"} <= shown
    assert {f"coverage/{name}" for name in section["coverage"]} <= shown
    assert {"generic_fallbacks/body", "date_disagreements/date_published", "totals/pages_per_second"} <= shown
    assert sum(1 for tag, attributes in page.tags if tag == "svg" and "bar" in str(attributes.get("class"))) == len(
        section["coverage"]
    )
    chart = next(
        attributes for tag, attributes in page.tags if tag == "svg" and attributes.get("class") == "line-chart"
    )
    assert chart["data-points"] == "2"


def test_drift_signals_above_zero_are_highlighted_and_quiet_ones_are_not() -> None:
    drifting = site_section("drifting", crawl_stats())
    steady = site_section(
        "steady", crawl_stats(**{"extract/generic_fallback/body": 0, "extract/disagreement/date_published": 0})
    )
    page = Page(render_html(crawl_document("crawlall", [drifting, steady])))
    for path in ("totals/generic_fallbacks", "totals/date_disagreements", "generic_fallbacks/body"):
        assert "drift-alert" in page.classes[("drifting", path)]
        assert "drift-alert" not in page.classes[("steady", path)]
    assert "drift-alert" not in page.classes[("drifting", "figures/pages_seen")]


def test_the_page_loads_nothing_from_anywhere() -> None:
    page = render_html(crawl_document("crawl", [site_section("example", crawl_stats())]))
    parsed = Page(page)
    assert not [tag for tag, _ in parsed.tags if tag in ("script", "link", "img", "iframe", "object", "embed")]
    assert not [attributes for _, attributes in parsed.tags if "src" in attributes or "srcset" in attributes]
    assert "http://" not in page and "https://" not in page and "@import" not in page and "url(" not in page
    policy = next(a for tag, a in parsed.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert str(policy["content"]).startswith("default-src 'none'")


def test_hostile_values_are_text_never_markup() -> None:
    stats = crawl_stats(**{
        f"item_dropped_reasons/{HOSTILE}": 3, "news/download_failed/\"><img src=x onerror=alert(2)>": 1,
        f"validation/{HOSTILE}": 1, f"extract/generic_fallback/{HOSTILE}": 1,
    })  # fmt: skip
    section = site_section(f"site{HOSTILE}", stats)
    section["notes"].append(HOSTILE)
    page = render_html(crawl_document("crawl", [section]))
    assert "<script" not in page and "<img" not in page
    parsed = Page(page)
    assert not [tag for tag, _ in parsed.tags if tag in ("script", "img")]
    assert parsed.figures[(f"site{HOSTILE}", f"dropped/{HOSTILE}")] == "3"  # the reason, read back as text
    assert HOSTILE in "".join(parsed.text)


def test_a_report_json_edited_by_hand_still_draws() -> None:
    document = crawl_document("crawl", [site_section("example", crawl_stats())])
    section = document["sites"]["example"]
    section["coverage"]["headline"] = "many"
    section["timeline"] = {}
    del section["totals"]
    assert "Field coverage" in render_html(document)
