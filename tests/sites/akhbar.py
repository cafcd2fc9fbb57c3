"""Akhbar al-Mithal (akhbar.example): a made-up Arabic site, right to left, for the framework's own tests.

Article URLs are ``/news/<section>/YYYY/M/D/<arabic-slug>``, met percent-encoded or not, and AMP copies under
``/amp/`` are the same article.  Shown dates are Amman time, ``18/10/2021`` or ``18 أكتوبر 2021``.  Its start
pages include a daily sitemap, named by the crawl's day.  Its lead image's caption is in the ``<img alt>``.
"""

from crawler.crawling.spiders import NewsSpider
from crawler.extraction.page import SitePage
from crawler.items import Image
from crawler.rules import SiteRules


class AkhbarPage(SitePage):
    def main_image(self) -> Image | None:
        """The lead ``figure`` has no ``figcaption``: the caption is the ``<img alt>``."""
        image = self.image("figure.lead")
        if image is not None:
            image.caption = self.first("figure.lead img::attr(alt)") or image.caption
        return image


RULES = SiteRules(
    site="akhbar",
    site_name="أخبار المثال",
    language="ar",
    timezone="Asia/Amman",
    headline=("header.article-header h1", "h1.main-title"),
    description=".article-excerpt",
    date_published="time.article-date",
    date_formats=("%d/%m/%Y", "%d %B %Y"),
    section="nav.breadcrumbs a:last-child",
    tags=".topics a",
    body="div.wysiwyg",
    main_image="figure.lead",
    page=AkhbarPage,
    article_urls=(r"^/news/[^/]+/\d{4}/\d{1,2}/\d{1,2}/[^/]+/?$",),
    listing_links="div.story-card",
    listing_dates="div.story-card time",
    url_rewrites=((r"^/amp/", "/"),),
)


class AkhbarSpider(NewsSpider):
    name = "akhbar"
    allowed_domains = ["akhbar.example"]
    start_urls = [
        "https://akhbar.example/news/politics",
        "https://akhbar.example/rss",
        "https://akhbar.example/sitemap.xml?yyyy={date.year}&mm={date.month:02d}&dd={date.day:02d}",
    ]
    rules = RULES


#: An article URL of the site, and its article markup (``{headline}``, ``{body}``: the body's HTML).
ARTICLE_URL = "https://akhbar.example/news/politics/2021/10/18/story"
ARTICLE = '<header class="article-header"><h1>{headline}</h1></header><div class="wysiwyg">{body}</div>'
