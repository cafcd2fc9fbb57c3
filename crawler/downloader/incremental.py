"""Incremental crawls: an article already in the store is not downloaded again.

The spider marks article requests (``meta["news_article"]``); this
downloader middleware answers those whose URL the store knows with
``SkippedRequest`` (an ``IgnoreRequest`` that is no download failure),
counted as ``news/skipped/already_stored``, and the crawl report says so on
its first lines.  Listing pages and feeds are always fetched, since they are
where new articles appear.  ``scrapy crawl <spider> -a refresh=1`` downloads
everything again (the store then updates the rows whose content changed).

Whether a crawl skips at all is ``NEWS_SKIP_STORED`` (:func:`skips_stored`):
a live crawl does, to spare the sites and itself; a crawl of the stored pages
(replay, or the HTTP mirror) does not, since those pages never change and
such a crawl is a demonstration or a regression run, which must write its
items every time rather than an empty feed the second time.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from crawler.downloader.failures import SkippedRequest
from crawler.storage.backend import Store
from crawler.storage.store import required_store


def skips_stored(settings: BaseSettings) -> bool:
    """Whether the crawl leaves out the articles the store already holds.

    ``NEWS_SKIP_STORED`` decides when set (``-s NEWS_SKIP_STORED=1`` makes a
    replayed or mirrored crawl incremental, as the tests of incrementality
    need).  Unset (``None``, the live default), a live crawl skips them and
    one sent to the mirror (``NEWS_MIRROR_URL``) does not: the mirror serves
    the same stored pages every time, so there is never anything new to find.
    """
    value = settings.get("NEWS_SKIP_STORED")
    if value is None or value == "":
        return not settings.get("NEWS_MIRROR_URL")
    return settings.getbool("NEWS_SKIP_STORED")


class SkipStoredArticlesMiddleware:
    def __init__(self, crawler: Crawler, store: Store) -> None:
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipStoredArticlesMiddleware:
        if not skips_stored(crawler.settings):
            raise NotConfigured  # no message: Scrapy then leaves it out of the enabled list without a warning
        return cls(crawler, required_store(crawler))

    def process_request(self, request: Request) -> None:
        spider: Spider | None = self.crawler.spider
        if not request.meta.get("news_article") or getattr(spider, "refresh", False):
            return None
        if self.store.knows(request.url):
            self.crawler.stats.inc_value("news/skipped/already_stored")
            raise SkippedRequest(f"already stored: {request.url}")
        return None
