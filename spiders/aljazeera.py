"""Al Jazeera Arabic (www.aljazeera.net), both of its page layouts.

The current layout (since 2020) and the pre-2020 one that archived pages still
use are two selectors per field, current first; no flag switches between
them.  The real publication time is in JSON-LD: the current layout shows no
time in the article, the old one only relative text ("قبل 3 ساعات"), which is
left to fail so that JSON-LD's UTC time, moved to Doha time, wins.

Article URLs are ``/news/<section>/YYYY/M/D/<arabic-slug>``; they are met
percent-encoded or not (both are one URL once encoded) and under ``/amp/``
(rewritten away), so every spelling is requested once.
"""

from collections.abc import Iterator

from scrapy.http import Response

from crawler.crawling.spiders import NewsSpider
from crawler.extraction.page import SitePage
from crawler.items import Article, Image
from crawler.rules import SiteRules

LEAD_FIGURES = ("figure.article-featured-image", "figure.lead")


class AlJazeeraPage(SitePage):
    def main_image(self) -> Image | None:
        """The old layout keeps the lead image's caption in the ``<img alt>``: its ``figure`` has no ``figcaption``."""
        image = self.image(*LEAD_FIGURES)
        if image is not None:
            image.caption = (
                self.first(f"{LEAD_FIGURES[0]} figcaption", f"{LEAD_FIGURES[1]} img::attr(alt)") or image.caption
            )
        return image


RULES = SiteRules(
    site="aljazeera",
    site_name="الجزيرة نت",
    language="ar",
    timezone="Asia/Qatar",
    headline=("header.article-header h1", "h1.main-title"),
    description=(".article-excerpt", "p.article__subhead"),
    source=(".article-source",),
    date_published=(".article-dates__published", "time.time-of-post"),
    date_formats=("%d/%m/%Y", "%d %B %Y", "Published On %d/%m/%Y"),
    section=("nav.nav-path a:last-child",),
    tags=(".topics a", "div.tags ul li a"),
    body=("div.wysiwyg", "div#DynamicContentContainer"),
    main_image=LEAD_FIGURES,
    page=AlJazeeraPage,
    drop=(".more-on", ".article-source"),
    article_urls=(r"^/news/[^/]+/\d{4}/\d{1,2}/\d{1,2}/[^/]+/?$",),
    listing_links=(".gc__content",),
    listing_dates=(".gc__content .date-simple .screen-reader-text",),
    url_rewrites=((r"^/amp/", "/"),),
)


class AlJazeeraSpider(NewsSpider):
    name = "aljazeera"
    allowed_domains = ["www.aljazeera.net"]
    start_urls = [
        "https://www.aljazeera.net/news/politics",
        "https://www.aljazeera.net/rss",
        "https://www.aljazeera.net/sitemap.xml?yyyy={date.year}&mm={date.month:02d}&dd={date.day:02d}",
    ]
    rules = RULES

    def parse_article(self, response: Response) -> Iterator[Article]:
        """One article page (``scrapy check aljazeera`` runs these contracts, offline under replay).

        @url https://www.aljazeera.net/news/politics/2021/10/18/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7-%D8%AA%D9%86%D9%87%D9%8A-%D8%B9%D9%85%D9%84-%D8%A8%D8%B9%D8%AB%D8%AA%D9%87%D8%A7-%D9%84%D8%AF%D9%89-%D8%A7%D9%84%D9%86%D8%A7%D8%AA%D9%88
        @returns items 1 1
        @returns requests 0 0
        @fills url headline source date_published section tags body main_image
        """
        return super().parse_article(response)
