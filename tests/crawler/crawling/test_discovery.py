import gzip
import zlib

import pytest

from crawler import SiteRules
from crawler.crawling.discovery import (
    MAX_FEED_ENTRIES,
    discover_feed,
    discover_links,
    is_feed,
)
from crawler.crawling.feedxml import FeedRefused

RULES = SiteRules(
    site="example",
    language="en",
    timezone="UTC",
    article_urls=r"^/news/[^/]+/[^/]+$",
    listing_links="div.list",
    next_page="a.next::attr(href)",
)
URL = "https://news.example/news/world"


def test_listing_links_are_article_links_of_the_list_on_the_same_site() -> None:
    html = """<div class=menu><a href="/news/world/menu-story">menu</a></div>
      <div class=list>
        <a href="/news/world/one">1</a><a href="/news/world/one#comments">1 again</a>
        <a href="/news/world">section</a><a href="https://other.example/news/world/x">offsite</a>
        <a href="two">relative</a>
      </div><a class=next href="?page=2">Next</a>"""
    found = discover_links(html, URL, RULES)
    # "two" resolves to /news/two: a section-like path, not an article URL.
    assert found.articles == ["https://news.example/news/world/one"]
    assert found.listings == ["https://news.example/news/world?page=2"]


def test_a_listing_nested_too_deep_to_parse_is_flattened_and_its_links_found(caplog: pytest.LogCaptureFixture) -> None:
    depth = 100_000  # parsed as it is, quadratic: ~15 s of a crawl's only thread
    html = f'<div class=list>{"<div>" * depth}<a href="/news/world/one">1</a>{"</div>" * depth}</div>'
    found = discover_links(html, URL, RULES)
    assert found.articles == ["https://news.example/news/world/one"]
    assert f"{URL}: markup nested more than 512 deep" in caplog.text


def test_rss_atom_and_sitemaps() -> None:
    rss = b"""<?xml version="1.0"?><rss><channel><item><link>https://news.example/news/a/b</link></item>
      <item><link> https://news.example/video/c </link></item></channel></rss>"""
    atom = (
        b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="/news/a/c"/></entry></feed>"""
    )
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example/sitemap-2021-10.xml</loc></sitemap></sitemapindex>"""
    assert discover_feed(rss, URL, RULES).articles == ["https://news.example/news/a/b"]
    assert discover_feed(atom, URL, RULES).articles == ["https://news.example/news/a/c"]
    assert discover_feed(index, URL, RULES).listings == ["https://news.example/sitemap-2021-10.xml"]


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
        for level in range(1, 10)
    )
    + b"]><rss><channel><item><link>https://news.example/news/a/&lol9;</link></item></channel></rss>"
)
QUADRATIC = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"a" * 50_000 + b'">]><rss><channel><item><link>'
             + b"&a;" * 20_000 + b"</link></item></channel></rss>")  # fmt: skip
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>
  <rss><channel><item><link>https://news.example/news/a/&x;</link></item></channel></rss>"""
PARAMETER = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>
  <rss><channel><item><link>https://news.example/news/a/b</link></item></channel></rss>"""


@pytest.mark.parametrize(
    "bomb", [BILLION_LAUGHS, QUADRATIC, EXTERNAL, PARAMETER], ids=["laughs", "quadratic", "xxe", "parameter"]
)
def test_feeds_declaring_entities_are_refused_unexpanded(bomb: bytes) -> None:
    with pytest.raises(FeedRefused) as refused:
        discover_feed(bomb, URL, RULES)
    assert refused.value.reason == "entities"
    with pytest.raises(FeedRefused):
        discover_feed(gzip.compress(bomb), URL, RULES)  # gzipped, the same


def test_a_gzip_bomb_is_refused_at_the_size_cap() -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    chunk = b" " * (1 << 20)
    bomb = (
        packer.compress(b"<?xml version='1.0'?><urlset>")
        + b"".join(packer.compress(chunk) for _ in range(64))
        + packer.flush()
    )
    assert len(bomb) < 100_000  # 64 MB of whitespace in well under 100 KB
    with pytest.raises(FeedRefused) as refused:
        discover_feed(bomb, URL, RULES, max_size=10 * 1024 * 1024)
    assert refused.value.reason == "too_large"
    cut_off = discover_feed(bomb[:1000], URL, RULES)  # a download cut short: what it holds, flagged
    assert cut_off.articles == [] and cut_off.malformed
    with pytest.raises(FeedRefused) as refused:
        discover_feed(b"\x1f\x8b not gzip after all", URL, RULES)
    assert refused.value.reason == "bad_gzip"


def test_a_gzipped_sitemap_is_read() -> None:
    sitemap = b"<urlset><url><loc>https://news.example/news/a/b</loc></url></urlset>"
    assert is_feed(gzip.compress(sitemap), "application/x-gzip")
    assert discover_feed(gzip.compress(sitemap), URL, RULES).articles == ["https://news.example/news/a/b"]


def test_malformed_feeds_give_what_can_be_recovered_and_say_so() -> None:
    cut_off = b"<rss><channel><item><link>https://news.example/news/a/b</link></item><item><link>https://news.ex"
    found = discover_feed(cut_off, URL, RULES)
    assert found.articles == ["https://news.example/news/a/b"] and found.malformed
    assert discover_feed(b"", URL, RULES).articles == []
    assert not discover_feed(b"<rss><channel></channel></rss>", URL, RULES).malformed
    with pytest.raises(FeedRefused) as refused:
        discover_feed(b"\x00\x01 not xml at all", URL, RULES)
    assert refused.value.reason == "malformed"


def test_a_sitemap_of_the_protocols_50000_urls_is_read_and_more_are_counted_not_followed() -> None:
    entries = "".join(
        f"<url><loc>https://news.example/news/w/{number}</loc></url>" for number in range(MAX_FEED_ENTRIES + 1)
    )
    found = discover_feed(f"<urlset>{entries}</urlset>".encode(), URL, RULES)
    assert len(found.articles) == MAX_FEED_ENTRIES and found.over_limit == 1


def test_feed_detection() -> None:
    assert is_feed(b"<?xml version='1.0'?><rss/>")
    assert is_feed(b"", "application/rss+xml; charset=utf-8")
    assert is_feed(BILLION_LAUGHS, "text/html") and is_feed(gzip.compress(b"<urlset/>"), "application/octet-stream")
    assert is_feed(b"<?xml version='1.0'?>\n<!-- generated -->\n<urlset>", "text/plain")
    assert not is_feed(b"<!DOCTYPE html><html>", "text/html; charset=utf-8")
    assert not is_feed(b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", "text/html")
