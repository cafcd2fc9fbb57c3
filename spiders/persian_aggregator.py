"""The Persian news aggregator of the seed: Parsi News (www.parsinews.ir).

It republishes agency copy (here Mehr News, citing Sputnik) under its own
numeric id, shown under the body.  Its article URLs are
``/news/page/<32 hex digits>``; ``/news/<id>`` is accepted too.  The only
date is the shown Solar Hijri time line ("15:44 - 27 مهر 1400", ASCII or
Persian digits), in Tehran time.  The agency comes from the body's opening
"به گزارش ..." credit (the framework reads it; the sentence stays in the body).
"""

from collections.abc import Iterator

from scrapy.http import Response

from crawler.crawling.spiders import NewsSpider
from crawler.items import Article
from crawler.rules import SiteRules

RULES = SiteRules(
    site="persian_aggregator",
    site_name="پارسی نیوز",
    language="fa",
    timezone="Asia/Tehran",
    calendar="solar_hijri",
    headline="article.news-page h1.news-title",
    description="article.news-page .news-lead",
    section="article.news-page .news-info .news-service",
    date_published="article.news-page .news-info .news-date",
    body="article.news-page .news-body",
    main_image="article.news-page figure.news-image",
    article_id="article.news-page .news-id-number",
    article_urls=(r"^/news/page/[0-9a-f]{32}$", r"^/news/\d+$"),
    listing_links="div.news-list",
    next_page="div.pagination a.next::attr(href)",
    listing_dates="div.news-list .news-item-date",
)


class PersianAggregatorSpider(NewsSpider):
    name = "persian_aggregator"
    allowed_domains = ["www.parsinews.ir"]
    start_urls = [
        "https://www.parsinews.ir/service/international",
        "https://www.parsinews.ir/rss",
    ]
    rules = RULES

    def parse_article(self, response: Response) -> Iterator[Article]:
        """One article page (``scrapy check persian_aggregator`` runs these contracts, offline under replay).

        @url https://www.parsinews.ir/news/page/278fdfb599b6aad3876a40399c3be680
        @returns items 1 1
        @returns requests 0 0
        @fills url headline source date_published section body article_id
        """
        return super().parse_article(response)
