"""Al Mayadeen English (english.almayadeen.net).

Times on the page are Beirut local time; the ``tawsiyat-metadata`` JSON block
carries the same instants in UTC, plus the post id and keywords.  The shown
date wins (it is what readers see), the metadata fills what the page lacks.
"""

from collections.abc import Iterator

from scrapy.http import Response

from crawler.crawling.spiders import NewsSpider
from crawler.extraction.metadata import Layer
from crawler.extraction.page import SitePage
from crawler.items import Article
from crawler.rules import SiteRules


class AlMayadeenPage(SitePage):
    def metadata(self) -> Layer:
        """The ``tawsiyat-metadata`` JSON block: the post id, keywords, and the page's instants in UTC."""
        return self.json_block("script#tawsiyat-metadata", {
            "article_id": "postid",
            "headline": "title",
            "canonical_url": "url",
            "tags": "keywords",
            "image_url": "thumbnail",
            "date_published": "published_time",
            "date_modified": "last_updated",
            "authors": "author",
            "description": "description",
        })  # fmt: skip


RULES = SiteRules(
    site="almayadeen",
    site_name="Al Mayadeen English",
    language="en",
    timezone="Asia/Beirut",
    headline="article .article-header h1.title",
    description="article .article-header .summary",
    authors="article .article-info li.author a",
    source="article .article-info li.source .source-name",
    date_published="article .article-info li.date .publish-date",
    date_formats=("%d %b %Y %H:%M", "%d %b %Y"),
    tags="article div.tags li a",
    body="article div.p-content",
    main_image="article .article-media figure.main-image",
    drop=("div.related-news",),
    embeds="div.video-player",
    page=AlMayadeenPage,
    article_urls=(r"^/news/[^/]+/[^/]+$", r"^/articles/[^/]+/[^/]+$"),
    listing_links="div.news-list",
    next_page="ul.pagination a.next::attr(href)",
    listing_dates="div.news-list .item-date",
)


class AlMayadeenSpider(NewsSpider):
    name = "almayadeen"
    allowed_domains = ["english.almayadeen.net"]
    start_urls = [
        "https://english.almayadeen.net/news/politics",
        "https://english.almayadeen.net/rss",
    ]
    rules = RULES

    def parse_article(self, response: Response) -> Iterator[Article]:
        """One article page (``scrapy check almayadeen`` runs these contracts, offline under replay).

        @url https://english.almayadeen.net/news/politics/russia-suspends-work-of-nato-information-office-in-moscow
        @returns items 1 1
        @returns requests 0 0
        @fills url headline description authors source date_published section tags body main_image article_id
        """
        return super().parse_article(response)
