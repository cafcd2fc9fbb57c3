"""A real crawl over HTTP of pages that are odd, cut off, mis-encoded or no pages at all.

The pages are served by the project's mirror (a real HTTP server on
127.0.0.1) from a snapshots folder made here, with the Content-Type each one
is served under, and crawled by a made-up site's spider (tests/sites/example.py,
named by ``-s SPIDER_MODULES=tests.sites``) with the live settings.  For every
page the crawl either yields an article with what could be read or drops it
with a logged reason and a count; it never stops, and the log has no traceback.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from crawler.text import normalize_space
from crawler.tools.mirror import Mirror, RunningMirror
from tests.crawling import ROOT, CrawlResult

#: The made-up site crawled, as its spider's allowed_domains and article_urls have it.
SITE = "https://news.example"
HEADLINE = "Lavrov: Russia will never join NATO"
PARAGRAPH = ("Russian Foreign Minister Sergei Lavrov said on Thursday that Moscow has never planned to join the "
             "North Atlantic Treaty Organization, in remarks to reporters in New York. ")  # fmt: skip
ARABIC_HEADLINE = "لافروف: روسيا لن تنضم إلى الناتو"
ARABIC_PARAGRAPH = "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو لم تخطط أبدا للانضمام إلى حلف شمال الأطلسي. "
PERSIAN_HEADLINE = "لاوروف: روسیه هرگز به ناتو نمی\u200cپیوندد"
PERSIAN_PARAGRAPH = (
    "وزیر امور خارجه روسیه می\u200cگوید مسکو هیچ\u200cگاه برای پیوستن به ناتو برنامه\u200cای نداشته است. "
)


def article_page(headline: str, paragraph: str, paragraphs: int = 4, meta_charset: str = "utf-8",
                 separator: str = "\n") -> str:  # fmt: skip
    body = separator.join(f"<p>{paragraph.strip()}</p>" for _ in range(paragraphs))
    return (f'<!DOCTYPE html>\n<html><head><meta charset="{meta_charset}"><title>{headline}</title></head>\n<body>'
            f'<article id="post-1"><h1 class="entry-title">{headline}</h1>\n<div class="entry-content">\n{body}\n'
            "</div></article></body></html>")  # fmt: skip


def _cut_inside(text: str, marker: str, offset: int) -> bytes:
    """The page's UTF-8 bytes cut ``offset`` bytes into the last ``marker``."""
    data = text.encode("utf-8")
    return data[: data.rindex(marker.encode("utf-8")) + offset]


def nested(page: str, depth: int) -> bytes:
    """The page with its article body inside ``depth`` more ``<div>`` s."""
    body = '<div class="entry-content">'
    return (
        page.replace(body, body + "<div>" * depth)
        .replace("</div></article>", "</div>" * (depth + 1) + "</article>")
        .encode()
    )


ARABIC_PAGE = article_page(ARABIC_HEADLINE, ARABIC_PARAGRAPH)
# UTF-8 once read as windows-1252 by the site's own CMS, then published as UTF-8 ("Ø§Ù„" for "ال").
MOJIBAKE_HEADLINE = ARABIC_HEADLINE.encode().decode("cp1252", "replace")
MOJIBAKE_PARAGRAPH = ARABIC_PARAGRAPH.encode().decode("cp1252", "replace")
#: slug -> (bytes served, Content-Type, what the crawl must do: "item" or the stat counting the drop)
PAGES: dict[str, tuple[bytes, str, str]] = {
    "cut-mid-tag": (article_page(HEADLINE, PARAGRAPH).encode()[: article_page(HEADLINE, PARAGRAPH).rindex("<p>") + 2],
                    "text/html; charset=utf-8", "item"),
    "cut-mid-character": (_cut_inside(ARABIC_PAGE, "الأطلسي", 3), "text/html; charset=utf-8", "item"),
    "one-giant-line": (article_page(HEADLINE, PARAGRAPH, paragraphs=5000, separator="").replace("\n", "").encode(),
                       "text/html; charset=utf-8", "item"),
    "windows-1256-meta-only": (article_page(ARABIC_HEADLINE, ARABIC_PARAGRAPH, meta_charset="windows-1256").encode(
        "cp1256"), "text/html", "item"),
    "wrong-charset-header": (article_page(PERSIAN_HEADLINE, PERSIAN_PARAGRAPH).encode(), "text/html; charset=iso-8859-1",
                             "item"),
    "utf-16-with-bom": (codecs.BOM_UTF16_LE + article_page(PERSIAN_HEADLINE, PERSIAN_PARAGRAPH, meta_charset="utf-16")
                        .encode("utf-16-le"), "text/html", "item"),
    "mojibake-as-published": (article_page(MOJIBAKE_HEADLINE, MOJIBAKE_PARAGRAPH).encode(), "text/html; charset=utf-8",
                              "item"),
    "empty-200": (b"", "text/html; charset=utf-8", "news/dropped/empty"),
    "only-whitespace": (b" \r\n\t \n", "text/html; charset=utf-8", "news/dropped/empty"),
    "pdf-as-html": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8,
                    "text/html; charset=utf-8", "news/dropped/binary"),
    "png-as-html": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "text/html", "news/dropped/binary"),
    # The article inside 100,000 nested <div>s: quadratic to parse as it is (~15 s), flattened first.
    "nested-100000-deep": (nested(article_page(HEADLINE, PARAGRAPH), 100_000), "text/html; charset=utf-8", "item"),
    # Its <title> stands in for the headline the rules missed; there is still no body to keep.
    "html-without-body": (b"<html><head><title>Nothing here</title></head></html>", "text/html; charset=utf-8",
                          "item_dropped_reasons/missing_body"),
}  # fmt: skip
#: What the kept pages must say (headline, a paragraph that must be in the body).
KEPT_TEXT = {
    "cut-mid-tag": (HEADLINE, PARAGRAPH.strip()),
    "cut-mid-character": (ARABIC_HEADLINE, ARABIC_PARAGRAPH.strip()),
    "one-giant-line": (HEADLINE, PARAGRAPH.strip()),
    "windows-1256-meta-only": (ARABIC_HEADLINE, ARABIC_PARAGRAPH.strip()),
    "wrong-charset-header": (PERSIAN_HEADLINE, PERSIAN_PARAGRAPH.strip()),
    "utf-16-with-bom": (PERSIAN_HEADLINE, PERSIAN_PARAGRAPH.strip()),
    "mojibake-as-published": (normalize_space(MOJIBAKE_HEADLINE), normalize_space(MOJIBAKE_PARAGRAPH)),
    "nested-100000-deep": (HEADLINE, PARAGRAPH.strip()),
}


def write_site(root: Path) -> None:
    """A snapshots folder for news.example: an RSS feed linking every odd page, and the pages."""
    site = root / "example"
    items = "".join(f"<item><title>{slug}</title><link>{SITE}/news/{slug}</link></item>" for slug in PAGES)
    feed = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    cases = {"rss": (feed.encode(), "application/rss+xml; charset=UTF-8", f"{SITE}/rss", "feed")}
    cases.update({slug: (body, content_type, f"{SITE}/news/{escape(slug)}", "article")
                  for slug, (body, content_type, _) in PAGES.items()})  # fmt: skip
    for name, (body, content_type, url, kind) in cases.items():
        folder = site / name
        folder.mkdir(parents=True)
        (folder / ("page.xml" if kind == "feed" else "page.html")).write_bytes(body)
        meta = {"url": url, "content_type": content_type, "kind": kind, "status": 200}
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


@pytest.fixture(scope="module")
def odd_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    tmp = tmp_path_factory.mktemp("odd-pages")
    write_site(tmp / "snapshots")
    feed = tmp / "items.jsonl"
    env = {key: value for key, value in os.environ.items() if key != "SCRAPY_PROJECT"}  # live settings
    with RunningMirror(Mirror(tmp / "snapshots")) as mirror:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "example", "-s", "SPIDER_MODULES=tests.sites", "-O", str(feed),
             "-s", f"NEWS_MIRROR_URL={mirror}",
             "-s", f"NEWS_STORE_PATH={tmp / 'articles.sqlite'}", "-s", "AUTOTHROTTLE_ENABLED=0",
             "-s", "NEWS_SITE_POLITENESS=0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    return CrawlResult(items=items, log=result.stderr)


def test_the_crawl_goes_on_without_a_traceback(odd_crawl: CrawlResult) -> None:
    assert "Traceback" not in odd_crawl.log
    assert "'finish_reason': 'finished'" in odd_crawl.log
    assert odd_crawl.stat("spider_exceptions/") is None and "spider_exceptions" not in odd_crawl.log


def test_every_page_is_kept_or_dropped_with_a_counted_reason(odd_crawl: CrawlResult) -> None:
    kept = {item["url"].rsplit("/", 1)[1] for item in odd_crawl.items}
    assert kept == {slug for slug, (_, _, outcome) in PAGES.items() if outcome == "item"}
    drops: dict[str, int] = {}
    for _, _, outcome in PAGES.values():
        if outcome != "item":
            drops[outcome] = drops.get(outcome, 0) + 1
    for key, count in drops.items():
        assert odd_crawl.stat(key) == count, key
    for slug in ("empty-200", "pdf-as-html", "png-as-html"):
        assert re.search(rf"Dropping {SITE}/news/{slug}: (empty|binary)", odd_crawl.log), slug


def test_kept_pages_hold_their_text_as_published(odd_crawl: CrawlResult) -> None:
    by_slug = {item["url"].rsplit("/", 1)[1]: item for item in odd_crawl.items}
    for slug, (headline, paragraph) in KEPT_TEXT.items():
        assert by_slug[slug]["headline"] == headline, slug
        if paragraph:
            assert paragraph in by_slug[slug]["body"].split("\n\n"), slug
    assert by_slug["one-giant-line"]["body"].count("\n\n") == 4999
    assert "\u200c" in by_slug["utf-16-with-bom"]["body"]


def test_charset_corrections_and_mojibake_are_counted(odd_crawl: CrawlResult) -> None:
    assert odd_crawl.stat("news/charset_corrected") == 1  # the ISO 8859-1 header over UTF-8 bytes
    assert odd_crawl.stat("news/mojibake") == 1
    assert (
        "unreadable pages   binary 2, empty 2 (charset header corrected: 1, mojibake as published: 1)" in odd_crawl.log
    )


def test_nesting_too_deep_to_parse_is_flattened_and_counted(odd_crawl: CrawlResult) -> None:
    assert odd_crawl.stat("extract/nesting_flattened") == 1
    assert f"{SITE}/news/nested-100000-deep: markup nested more than 512 deep" in odd_crawl.log
