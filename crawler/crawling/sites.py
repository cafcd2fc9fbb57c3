"""Which sites the project has: found by walking its spider modules.

The spider classes are the registry, as they are for ``scrapy list``: adding a
site is adding a module to ``spiders/``, with no list to edit here.  The
modules walked are the project's ``SPIDER_MODULES`` setting, read from the
project around the working directory (``scrapy.cfg``, or
``SCRAPY_SETTINGS_MODULE``).  With no project around (``extract()`` called as
a library from anywhere), there are no sites, and every page is read with
the generic rules.

A news spider is any spider class whose ``rules`` is a :class:`SiteRules`.
This module needs nothing more of it, so it imports no spider code itself:
the extraction package can ask it for a site's rules without a cycle through
:mod:`crawler.crawling.spiders` (which imports the extraction package).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

try:  # Scrapy >= 2.14
    from scrapy.utils.misc import walk_modules_iter as walk_modules
except ImportError:  # pragma: no cover
    from scrapy.utils.misc import walk_modules
from scrapy.utils.conf import closest_scrapy_cfg
from scrapy.utils.project import get_project_settings
from scrapy.utils.spider import iter_spider_classes

from crawler.rules import SiteRules

if TYPE_CHECKING:
    from crawler.crawling.spiders import NewsSpider


#: Where Scrapy looks for the project's settings module first.
SETTINGS_MODULE_VARIABLE = "SCRAPY_SETTINGS_MODULE"


class UnknownSiteError(LookupError):
    """No spider of that name."""


def project_spider_modules() -> tuple[str, ...]:
    """The ``SPIDER_MODULES`` of the project around the working directory; none outside a project."""
    return _spider_modules_of(
        os.environ.get(SETTINGS_MODULE_VARIABLE), os.environ.get("SCRAPY_PROJECT"), closest_scrapy_cfg()
    )


@lru_cache(maxsize=8)
def _spider_modules_of(settings_module: str | None, project: str | None, scrapy_cfg: str) -> tuple[str, ...]:
    """Cached per project: reading the project's settings imports them.

    ``get_project_settings`` puts the project's folder on ``sys.path`` (the spider
    modules are imported from there) and also names the settings module in
    ``os.environ``, which every subprocess would inherit, overriding its own
    ``SCRAPY_PROJECT``: that second change is undone.
    """
    if not settings_module and not scrapy_cfg:
        return ()
    try:
        return tuple(get_project_settings().getlist("SPIDER_MODULES"))
    finally:
        if settings_module is None:
            os.environ.pop(SETTINGS_MODULE_VARIABLE, None)


def news_spiders(modules: Iterable[str] | None = None) -> dict[str, type[NewsSpider]]:
    """The news spiders of ``modules`` (default: the project's ``SPIDER_MODULES``), by name."""
    return _news_spiders(tuple(project_spider_modules() if modules is None else modules))


@lru_cache(maxsize=8)
def _news_spiders(modules: tuple[str, ...]) -> dict[str, type[NewsSpider]]:
    found: dict[str, type[NewsSpider]] = {}
    for module_name in modules:
        for module in walk_modules(module_name):
            for spider_class in iter_spider_classes(module):
                if isinstance(getattr(spider_class, "rules", None), SiteRules):
                    found[spider_class.name] = spider_class  # type: ignore[assignment]  # a news spider by its rules
    return found


def spider_for(site: str, modules: Iterable[str] | None = None) -> type[NewsSpider]:
    spiders = news_spiders(modules)
    if site not in spiders:
        known = ", ".join(sorted(spiders)) or "none"
        raise UnknownSiteError(f"No news spider named {site!r} (known: {known})")
    return spiders[site]


def rules_for(site: str, modules: Iterable[str] | None = None) -> SiteRules:
    return spider_for(site, modules).rules


def rules_for_url(url: str, modules: Iterable[str] | None = None) -> SiteRules | None:
    """The rules of the spider whose ``allowed_domains`` cover the URL's host."""
    host = (urlsplit(url).hostname or "").lower()
    for spider_class in news_spiders(modules).values():
        for domain in getattr(spider_class, "allowed_domains", None) or ():
            if host == domain or host.endswith("." + domain):
                return spider_class.rules
    return None
