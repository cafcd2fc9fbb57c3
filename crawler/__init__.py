"""A boilerplate-stripping news scraper framework on Scrapy.

Nothing in this package names a site: sites are ``SiteRules`` values in the
project's ``spiders`` modules.
"""

from crawler.extraction import extract
from crawler.items import Article, Embed, Image
from crawler.rules import SiteRules

__all__ = ["Article", "Embed", "Image", "SiteRules", "extract"]
