"""Finding article links on listing pages, RSS/Atom feeds and sitemaps.

Pure functions of (page, URL, rules), so that the snapshot cases of listing
pages and feeds pin exactly what the spider will follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.crawling.feedxml import is_gzip, parse_feed
from crawler.dates import parse_date
from crawler.extraction.nesting import parse_page
from crawler.extraction.select import iter_values, split_selector
from crawler.rules import SiteRules
from crawler.urls import url_key

FEED_CONTENT_TYPES = ("xml", "rss", "atom")
FEED_ROOTS = (b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:RDF")
#: The sitemap protocol's limits: 50,000 URLs and 50 MB (uncompressed) per file.
MAX_FEED_ENTRIES = 50_000
MAX_FEED_BYTES = 50 * 1024 * 1024


@dataclass
class Discovery:
    """What a non-article page leads to: articles to extract, listing pages to read next.

    ``newest`` is the latest date the page shows for its entries, when it
    shows any: a crawl bounded by ``since`` stops at a page older than that.
    """

    articles: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    newest: datetime | None = None
    #: For a feed: the first XML error recovered from, when it was malformed (the links are what was recovered).
    malformed: str | None = None
    #: For a feed: links past ``MAX_FEED_ENTRIES``, not followed.
    over_limit: int = 0

    def to_dict(self) -> dict[str, Any]:
        output: dict[str, Any] = {"articles": self.articles, "listings": self.listings}
        if self.newest is not None:
            output["newest"] = self.newest.isoformat()
        return output


def _newest(raw_dates: list[str], rules: SiteRules) -> datetime | None:
    # Only a hint for where to stop paging: an impossible date is warned about by the article that shows it.
    parsed = (parse_date(raw, rules.timezone, rules.date_formats, rules.calendar, hint=True) for raw in raw_dates)
    values = [date.value for date in parsed if date is not None]
    return max(values) if values else None


_PROLOG_RE = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*", re.DOTALL)
#: A feed with a DOCTYPE (rare, and how XML bombs come): still a feed, so that the feed parser refuses it.
_FEED_DOCTYPE_RE = re.compile(rb"<!DOCTYPE\s+(?:rss|feed|urlset|sitemapindex|rdf:RDF)\b", re.IGNORECASE)


def is_feed(body: bytes, content_type: str = "") -> bool:
    """An RSS/Atom feed or a sitemap, by Content-Type or by its root element.

    An XML prolog alone proves nothing (XHTML pages have one too).  A gzip
    body is taken for a feed: a news site gzips only its sitemaps.
    """
    if is_gzip(body):
        return True
    content_type = content_type.lower()
    if "html" not in content_type and any(kind in content_type for kind in FEED_CONTENT_TYPES):
        return True
    head = _PROLOG_RE.sub(b"", body[:2048], count=1)
    return head.startswith(FEED_ROOTS) or _FEED_DOCTYPE_RE.match(head) is not None


def _unique(urls: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for url in urls:
        seen.setdefault(url_key(url), url)
    return list(seen.values())


def _same_site(url: str, page_url: str) -> bool:
    return (urlsplit(url).hostname or "") == (urlsplit(page_url).hostname or "")


def discover_links(html: str, url: str, rules: SiteRules) -> Discovery:
    tree, _ = parse_page(html, url)  # a listing nested 100,000 deep would freeze the crawl as an article would
    regions = [node for selector in rules.listing_links for node in tree.css(split_selector(selector)[0])]
    if not regions and tree.body is not None:
        regions = [tree.body]
    articles = []
    for region in regions:
        for href in iter_values(region, "a[href]::attr(href)"):
            link = rules.rewrite_url(urljoin(url, href))
            if _same_site(link, url) and rules.is_article_url(urlsplit(link).path):
                articles.append(link)
    listings = [urljoin(url, href) for selector in rules.next_page for href in iter_values(tree, selector)]
    dates = [value for selector in rules.listing_dates for value in iter_values(tree, selector)]
    return Discovery(articles=_unique(articles), listings=_unique(listings), newest=_newest(dates, rules))


def discover_feed(body: bytes, url: str, rules: SiteRules, max_size: int = MAX_FEED_BYTES) -> Discovery:
    """Links of an RSS 2.0/RDF/Atom feed, a sitemap (gzipped or not), or a sitemap index.

    Parsed by ``crawler.crawling.feedxml``: a feed declaring entities (an XML bomb,
    an external entity) or unpacking past ``max_size`` raises ``FeedRefused``
    unread; a malformed one gives what lxml recovers, with ``malformed`` set.
    At most ``MAX_FEED_ENTRIES`` links are taken (the sitemap protocol's limit).
    """
    if not body.strip():
        return Discovery()
    parsed = parse_feed(body, max_size)
    selector = Selector(root=parsed.root, type="xml")
    selector.remove_namespaces()
    item_links = selector.xpath(
        "//item/link/text() | //entry/link[not(@rel) or @rel='alternate']/@href | //url/loc/text()"
    ).getall()
    over_limit = max(0, len(item_links) - MAX_FEED_ENTRIES)
    item_links = item_links[:MAX_FEED_ENTRIES]
    sitemaps = selector.xpath("//sitemap/loc/text()").getall()[:MAX_FEED_ENTRIES]
    articles = [
        link
        for link in (rules.rewrite_url(urljoin(url, raw.strip())) for raw in item_links if raw.strip())
        if rules.is_article_url(urlsplit(link).path)
    ]
    listings = [urljoin(url, raw.strip()) for raw in sitemaps if raw.strip()]
    dates = selector.xpath(
        "//item/pubDate/text() | //entry/updated/text() | //entry/published/text() | //url/lastmod/text()"
    ).getall()[:MAX_FEED_ENTRIES]
    return Discovery(
        articles=_unique(articles), listings=_unique(listings), newest=_newest(dates, rules),
        malformed=parsed.malformed, over_limit=over_limit,
    )  # fmt: skip
