"""Distributed crawls: an article stored by one worker is not stored again by another.

With a shared store (``NEWS_STORE_URL``, PostgreSQL) the store itself says
what any worker has stored: :class:`SkipStoredElsewhere` asks it, and
:class:`MarkStored` is off (nothing to mark; no gap between a commit and a
mark).  Without one, each worker stores to its own SQLite file, and Redis
keeps, per spider, the set of canonical URLs that some worker has committed
(``<spider>:stored``):

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
from crawler.storage.backend import Store
from crawler.storage.store import required_store, store_for


def stored_key(spider_name: str) -> str:
    return f"{spider_name}:stored"


def shared_server(crawler: Crawler) -> Redis:
    """The crawl's Redis; the stages are off when nothing is stored (no ``NEWS_STORE_URL`` or ``NEWS_STORE_PATH``)."""
    if not crawler.settings.get("NEWS_STORE_URL") and not crawler.settings.get("NEWS_STORE_PATH"):
        raise NotConfigured("no NEWS_STORE_URL or NEWS_STORE_PATH: nothing is stored, nothing to share")
    return connection.from_settings(crawler.settings)


def _key(item: Any) -> str | None:
    adapter = ItemAdapter(item)
    return adapter.get("canonical_url") or adapter.get("url")


class SkipStoredElsewhere(DroppingPipeline):
    def __init__(self, crawler: Crawler, server: Redis, store: Store | None = None) -> None:
        super().__init__(crawler)
        self.server = server
        #: A shared store, asked instead of Redis's set; ``None`` for a worker's own SQLite file.
        self.shared_store = store if store is not None and store.shared else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipStoredElsewhere:
        return cls(crawler, shared_server(crawler), store_for(crawler))

    def process_item(self, item: Any) -> Any:
        spider = self.crawler.spider
        assert spider is not None
        key = _key(item)
        if key and not getattr(spider, "refresh", False) and self._stored(spider.name, key):
            raise self.drop("stored_by_another_worker", key)
        return item

    def _stored(self, spider_name: str, key: str) -> bool:
        if self.shared_store is not None:
            return self.shared_store.knows(key)
        return bool(self.server.sismember(stored_key(spider_name), key))


class MarkStored:
    def __init__(self, crawler: Crawler, server: Redis, store: Store) -> None:
        self.crawler = crawler
        self.server = server
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MarkStored:
        store = required_store(crawler)
        if store.shared:
            raise NotConfigured("the store is shared: it says itself what every worker stored")
        return cls(crawler, shared_server(crawler), store)

    def process_item(self, item: Any) -> Any:
        spider = self.crawler.spider
        assert spider is not None
        key = _key(item)
        if key and self.store.knows(key):
            self.server.sadd(stored_key(spider.name), key)
        return item
