"""Khabarnameh (khabar.example): a made-up Persian site with Solar Hijri dates, for the framework's own tests.

The only date is the shown time line ("15:44 - 27 مهر 1400", ASCII or Persian digits), in Tehran time.
Article URLs are ``/news/<id>`` or ``/news/<id>/<slug>``.
"""

from crawler.crawling.spiders import NewsSpider
from crawler.rules import SiteRules

RULES = SiteRules(
    site="khabar",
    site_name="خبرنامه نمونه",
    language="fa",
    timezone="Asia/Tehran",
    calendar="solar_hijri",
    headline="article.news-page h1.news-title",
    description="article.news-page .news-lead",
    date_published="article.news-page .news-date",
    body="article.news-page .news-body",
    article_id="article.news-page .news-id",
    article_urls=(r"^/news/\d+(/[^/]*)?$",),
    listing_links="div.news-list",
    next_page="div.pagination a.next::attr(href)",
    listing_dates="div.news-list .news-item-date",
)


class KhabarSpider(NewsSpider):
    name = "khabar"
    allowed_domains = ["khabar.example"]
    start_urls = ["https://khabar.example/service/world", "https://khabar.example/rss"]
    rules = RULES


#: An article URL of the site, and its article markup (``{headline}``, ``{body}``: the body's HTML).
ARTICLE_URL = "https://khabar.example/news/123456/story"
ARTICLE = (
    '<article class="news-page"><h1 class="news-title">{headline}</h1><div class="news-body">{body}</div></article>'
)
