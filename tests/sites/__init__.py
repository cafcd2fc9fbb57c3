"""Made-up news sites for the framework's own tests, each written as a user writes an adapter (docs/adding-a-site.md).

The framework's tests use these, never the project's ``spiders/`` (issue 20): a framework test should not break
when a real site's adapter changes, and should show that the framework works for a site it has never seen.  One
module a site, as in ``spiders/``:

- ``example``: The Example Post, English, WordPress markup, news.example;
- ``akhbar``: an Arabic site (right to left, Arabic slugs in its URLs), akhbar.example;
- ``khabar``: a Persian site whose dates are Solar Hijri, khabar.example.

The package is a ``SPIDER_MODULES`` value too: ``scrapy crawl example -s SPIDER_MODULES=tests.sites`` crawls
a made-up site, and :func:`as_the_project` makes them the sites that lookups by name or host find in-process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from scrapy.utils.test import get_crawler

from crawler.crawling.spiders import NewsSpider
from crawler.rules import SiteRules
from tests.sites import akhbar, example, khabar
from tests.sites.akhbar import AkhbarSpider
from tests.sites.example import ExampleSpider
from tests.sites.khabar import KhabarSpider

#: The made-up sites as a ``SPIDER_MODULES`` value, and a settings module that names them.
SPIDER_MODULES = ("tests.sites",)
SETTINGS_MODULE = "tests.sites.settings"

#: The spiders by name.
SPIDERS: dict[str, type[NewsSpider]] = {spider.name: spider for spider in (ExampleSpider, AkhbarSpider, KhabarSpider)}
#: Their rules by name.
RULES: dict[str, SiteRules] = {name: spider.rules for name, spider in SPIDERS.items()}
#: An article URL of each site (matching its ``article_urls``), and one of no known site ("generic").
ARTICLE_URLS = {
    "generic": "https://unknown.example/news/2021/10/18/story",
    "example": example.ARTICLE_URL,
    "akhbar": akhbar.ARTICLE_URL,
    "khabar": khabar.ARTICLE_URL,
}
#: Each site's article markup, ``{headline}`` and ``{body}`` (the body's HTML) to fill in.
ARTICLE_MARKUP = {"example": example.ARTICLE, "akhbar": akhbar.ARTICLE, "khabar": khabar.ARTICLE}


AnySpider = TypeVar("AnySpider", bound=NewsSpider)


def make_spider(spider_class: type[AnySpider], settings: dict[str, Any] | None = None, **arguments: Any) -> AnySpider:
    """The spider as a crawl makes it (``from_crawler``), with the crawl's stats open and ``-a`` arguments."""
    crawler = get_crawler(spider_class, settings_dict=settings)
    crawler.stats.open_spider()
    return spider_class.from_crawler(crawler, **arguments)


@contextmanager
def as_the_project() -> Iterator[None]:
    """The made-up sites as the project's: ``extract(page, url)`` and ``rules_for(name)`` find them, not spiders/.

    The project is read from ``SCRAPY_SETTINGS_MODULE``, as Scrapy reads it; the variable is put back after.
    """
    before = os.environ.get("SCRAPY_SETTINGS_MODULE")
    os.environ["SCRAPY_SETTINGS_MODULE"] = SETTINGS_MODULE
    try:
        yield
    finally:
        if before is None:
            del os.environ["SCRAPY_SETTINGS_MODULE"]
        else:
            os.environ["SCRAPY_SETTINGS_MODULE"] = before
