"""Which sites the project has: found by walking the spider modules.

The spider classes are the registry, as they are for ``scrapy list``: adding a
site is adding a module to ``spiders/``, with no list to edit here.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

try:  # Scrapy >= 2.14
    from scrapy.utils.misc import walk_modules_iter as walk_modules
except ImportError:  # pragma: no cover
    from scrapy.utils.misc import walk_modules
from scrapy.utils.spider import iter_spider_classes

from crawler.rules import SiteRules
from crawler.crawling.spiders import NewsSpider

DEFAULT_SPIDER_MODULES = ("spiders",)


class UnknownSiteError(LookupError):
    """No spider of that name."""


@lru_cache(maxsize=None)
def news_spiders(modules: tuple[str, ...] = DEFAULT_SPIDER_MODULES) -> dict[str, type[NewsSpider]]:
    found: dict[str, type[NewsSpider]] = {}
    for module_name in modules:
        for module in walk_modules(module_name):
            for spider_class in iter_spider_classes(module):
                if issubclass(spider_class, NewsSpider) and getattr(spider_class, "rules", None):
                    found[spider_class.name] = spider_class
    return found


def spider_for(site: str) -> type[NewsSpider]:
    spiders = news_spiders()
    if site not in spiders:
        known = ", ".join(sorted(spiders)) or "none"
        raise UnknownSiteError(f"No news spider named {site!r} (known: {known})")
    return spiders[site]


def rules_for(site: str) -> SiteRules:
    return spider_for(site).rules


def rules_for_url(url: str) -> SiteRules | None:
    """The rules of the spider whose ``allowed_domains`` cover the URL's host."""
    host = (urlsplit(url).hostname or "").lower()
    for spider_class in news_spiders().values():
        for domain in getattr(spider_class, "allowed_domains", None) or ():
            if host == domain or host.endswith("." + domain):
                return spider_class.rules
    return None
