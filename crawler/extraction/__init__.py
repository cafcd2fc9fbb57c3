"""HTML -> Article."""

from __future__ import annotations

from crawler.crawling import sites
from crawler.extraction.article import Extraction, extract_article
from crawler.items import Article
from crawler.rules import GENERIC_RULES, SiteRules


def extract(html: str | bytes, url: str, site: str | SiteRules | None = None) -> Article:
    """Extract the article of one page.

    ``site`` is a spider name, a ``SiteRules`` value, ``"generic"`` for no
    site rules, or ``None`` to pick the site from the URL's host (generic
    extraction for an unknown host, and for every host outside a Scrapy
    project: the sites are the project's ``SPIDER_MODULES``).  ``dict(result)`` or ``result.to_dict()`` gives the output
    form, with empty fields left out.
    """
    return extract_with_provenance(html, url, site).article


def extract_with_provenance(html: str | bytes, url: str, site: str | SiteRules | None = None) -> Extraction:
    return extract_article(html, url, resolve_rules(url, site))


def resolve_rules(url: str, site: str | SiteRules | None) -> SiteRules:

    if isinstance(site, SiteRules):
        return site
    if site == GENERIC_RULES.site:
        return GENERIC_RULES
    if site is not None:
        return sites.rules_for(site)
    return sites.rules_for_url(url) or GENERIC_RULES


__all__ = ["Extraction", "extract", "extract_with_provenance", "resolve_rules"]
