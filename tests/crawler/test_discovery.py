from crawler import SiteRules
from crawler.discovery import discover_feed, discover_links, is_feed

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


def test_rss_atom_and_sitemaps() -> None:
    rss = b"""<?xml version="1.0"?><rss><channel><item><link>https://news.example/news/a/b</link></item>
      <item><link> https://news.example/video/c </link></item></channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="/news/a/c"/></entry></feed>"""
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.example/sitemap-2021-10.xml</loc></sitemap></sitemapindex>"""
    assert discover_feed(rss, URL, RULES).articles == ["https://news.example/news/a/b"]
    assert discover_feed(atom, URL, RULES).articles == ["https://news.example/news/a/c"]
    assert discover_feed(index, URL, RULES).listings == ["https://news.example/sitemap-2021-10.xml"]


def test_malformed_feeds_and_entities_are_harmless() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
      <rss><channel><item><link>&b;</link></item></channel></rss>"""
    assert discover_feed(bomb, URL, RULES).articles == []
    assert discover_feed(b"<rss><channel><item><link>https://news.ex", URL, RULES).articles == []
    assert discover_feed(b"", URL, RULES).articles == []


def test_feed_detection() -> None:
    assert is_feed(b"<?xml version='1.0'?><rss/>")
    assert is_feed(b"", "application/rss+xml; charset=utf-8")
    assert is_feed(b"<?xml version='1.0'?>\n<!-- generated -->\n<urlset>", "text/plain")
    assert not is_feed(b"<!DOCTYPE html><html>", "text/html; charset=utf-8")
    assert not is_feed(b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'>", "text/html")
