"""Sada El Balad English (see.news), a WordPress site.

Which date wins: the shown date line ("Thu 23 Sep 2021 | 01:19 PM", Cairo
time) over the Yoast JSON-LD and ``article:published_time``.  The line is
what readers and editors see; Yoast writes its dates from WordPress's GMT
field, which drifts by whole hours when the site's time zone setting is
wrong.  When the two disagree the crawl counts it
(``extract/disagreement/date_published``) and keeps the shown line.
"""

import re
from collections.abc import Iterator

from scrapy.http import Response

from crawler.crawling.spiders import NewsSpider
from crawler.extraction.page import SitePage
from crawler.items import Article
from crawler.rules import SiteRules


class SadaElBaladPage(SitePage):
    def article_id(self) -> str | None:
        """WordPress's post id, which the page gives only inside ``<article id="post-123">``."""
        match = re.fullmatch(r"post-(\d+)", self.first("article[id^=post-]::attr(id)") or "")
        return match.group(1) if match else None


RULES = SiteRules(
    site="sadaelbalad",
    site_name="Sada Elbalad English",
    language="en",
    timezone="Africa/Cairo",
    headline="article h1.entry-title",
    description="article .entry-summary",
    authors="article .entry-meta .byline .author a",
    date_published="article .entry-meta time.entry-date.published",
    date_formats=("%a %d %b %Y | %I:%M %p",),
    tags="article .tags-links a[rel=tag]",
    body="article div.entry-content",
    main_image="article .post-thumbnail img",
    drop=(".sharedaddy", ".jp-relatedposts"),
    page=SadaElBaladPage,
    article_urls=(r"^/(?!category/|tag/|author/|page/|feed|rss|wp-)[^/]+/?$",),
    listing_links="main article .entry-title",
    next_page="a.next.page-numbers::attr(href)",
    listing_dates="main article .entry-meta time.entry-date",
)


class SadaElBaladSpider(NewsSpider):
    name = "sadaelbalad"
    allowed_domains = ["see.news"]
    start_urls = [
        "https://see.news/rss",
        "https://see.news/category/world",
    ]
    rules = RULES

    def parse_article(self, response: Response) -> Iterator[Article]:
        """One article page (``scrapy check sadaelbalad`` runs these contracts, offline under replay).

        @url https://see.news/lavrov-russia-never-plans-to-join-nato
        @returns items 1 1
        @returns requests 0 0
        @fills url headline authors date_published body article_id
        """
        return super().parse_article(response)
