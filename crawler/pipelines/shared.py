"""Distributed crawls: an article stored by one worker is not stored again by another.

Each worker stores to its own SQLite file.  Redis keeps, per spider, the
set of canonical URLs that some worker has committed (``<spider>:stored``):

- :class:`SkipStoredElsewhere`, before the store stage, drops an article
  whose canonical URL is in the set (``item_dropped_reasons/stored_by_another_worker``),
  unless the crawl refreshes (``-a refresh=1``);
- :class:`MarkStored`, after the store stage, adds it once the worker's
  store holds it (asked, not assumed: a store stage may keep an item to
  write later, and an article in memory is not stored).

Why: a worker killed after storing an article but before its request was
released (``crawler.distributed.inflight``) has that request done again, maybe by another
worker; this keeps the article in one store.  The one gap left is a kill
between the SQLite commit and the ``SADD`` that follows it.  The set outlives
``scrapy seed --fresh``: it is the crawl's shared memory of what is stored
where, as each store is for its own worker.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from redis import Redis
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy_redis import connection

from crawler.pipelines import DroppingPipeline
from crawler.storage.store import ArticleStore, required_store


def stored_key(spider_name: str) -> str:
    return f"{spider_name}:stored"


def shared_server(crawler: Crawler) -> Redis:
    """The crawl's Redis; the stages are off when nothing is stored (no ``NEWS_STORE_PATH``)."""
    if not crawler.settings.get("NEWS_STORE_PATH"):
        raise NotConfigured("NEWS_STORE_PATH is not set: nothing is stored, nothing to share")
    return connection.from_settings(crawler.settings)


def _key(item: Any) -> str | None:
    adapter = ItemAdapter(item)
    return adapter.get("canonical_url") or adapter.get("url")


class SkipStoredElsewhere(DroppingPipeline):
    def __init__(self, crawler: Crawler, server: Redis) -> None:
        super().__init__(crawler)
        self.server = server

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipStoredElsewhere:
        return cls(crawler, shared_server(crawler))

    def process_item(self, item: Any) -> Any:
        spider = self.crawler.spider
        assert spider is not None
        key = _key(item)
        if key and not getattr(spider, "refresh", False) and self.server.sismember(stored_key(spider.name), key):
            raise self.drop("stored_by_another_worker", key)
        return item


class MarkStored:
    def __init__(self, crawler: Crawler, server: Redis, store: ArticleStore) -> None:
        self.crawler = crawler
        self.server = server
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MarkStored:
        return cls(crawler, shared_server(crawler), required_store(crawler))

    def process_item(self, item: Any) -> Any:
        spider = self.crawler.spider
        assert spider is not None
        key = _key(item)
        if key and self.store.knows(key):
            self.server.sadd(stored_key(spider.name), key)
        return item
