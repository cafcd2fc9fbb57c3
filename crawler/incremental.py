"""Incremental crawls: an article already in the store is not downloaded again.

The spider marks article requests (``meta["news_article"]``); this
downloader middleware answers those whose URL the store knows with
``SkippedRequest`` (an ``IgnoreRequest`` that is no download failure),
counted as ``news/skipped/already_stored``.  Listing pages and feeds are
always fetched, since they are where new articles appear.
``scrapy crawl <spider> -a refresh=1`` downloads everything again (the store
then updates the rows whose content changed).
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler

from crawler.failures import SkippedRequest
from crawler.store import ArticleStore, required_store


class SkipStoredArticlesMiddleware:
    def __init__(self, crawler: Crawler, store: ArticleStore) -> None:
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipStoredArticlesMiddleware:
        return cls(crawler, required_store(crawler))

    def process_request(self, request: Request) -> None:
        spider: Spider | None = self.crawler.spider
        if not request.meta.get("news_article") or getattr(spider, "refresh", False):
            return None
        if self.store.knows(request.url):
            self.crawler.stats.inc_value("news/skipped/already_stored")
            raise SkippedRequest(f"already stored: {request.url}")
        return None
