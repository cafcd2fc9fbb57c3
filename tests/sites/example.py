"""The Example Post (news.example): a made-up English site on WordPress, for the framework's own tests.

Shown dates are London time, "18 Oct 2021 16:51" on articles and "Mon 18 Oct 2021 | 04:51 PM" in older
posts.  Article URLs are ``/news/<slug>``; ``/world`` lists them, newest first, with a next-page link.  A
``<script id="post-meta">`` JSON block gives the post id, keywords and the time in UTC.
"""

from crawler.crawling.spiders import NewsSpider
from crawler.extraction.metadata import Layer
from crawler.extraction.page import SitePage
from crawler.rules import SiteRules


class ExamplePage(SitePage):
    def metadata(self) -> Layer:
        """The ``post-meta`` JSON block: what the page shows nowhere else (the post id), and the rest as a fallback."""
        return self.json_block("script#post-meta", {
            "article_id": "id",
            "tags": "keywords",
            "date_published": "published",
            "authors": "author",
        })  # fmt: skip


RULES = SiteRules(
    site="example",
    site_name="The Example Post",
    language="en",
    timezone="Europe/London",
    headline="article h1.entry-title",
    description="article .entry-summary",
    authors="article .entry-meta .byline .author a",
    date_published="article .entry-meta time.entry-date.published",
    date_formats=("%d %b %Y %H:%M", "%a %d %b %Y | %I:%M %p"),
    tags="article .tags-links a[rel=tag]",
    body="article div.entry-content",
    main_image="article .post-thumbnail img",
    drop=(".related",),
    page=ExamplePage,
    article_urls=(r"^/news/[^/]+$",),
    listing_links="main ul.story-list",
    next_page="a.next::attr(href)",
    listing_dates="main ul.story-list time",
)


class ExampleSpider(NewsSpider):
    name = "example"
    allowed_domains = ["news.example"]
    start_urls = ["https://news.example/world", "https://news.example/rss"]
    rules = RULES


#: An article URL of the site, and its article markup (``{headline}``, ``{body}``: the body's HTML).
ARTICLE_URL = "https://news.example/news/some-story"
ARTICLE = '<article><h1 class="entry-title">{headline}</h1><div class="entry-content">{body}</div></article>'
