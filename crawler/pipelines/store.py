"""Store stage: every item that reaches it is committed to SQLite before the next is taken."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.fingerprint import fingerprint
from crawler.items import drop_empty
from crawler.store import ArticleStore, store_for


class StorePipeline:
    def __init__(self, crawler: Crawler, store: ArticleStore) -> None:
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        store = store_for(crawler)
        if store is None:
            raise NotConfigured("NEWS_STORE_PATH is not set")
        return cls(crawler, store)

    def process_item(self, item: Any) -> Any:
        article = drop_empty(ItemAdapter(item).asdict())
        outcome = self.store.save(article, fingerprint(article.get("body") or ""))
        self.crawler.stats.inc_value(f"store/{outcome}")
        return item
