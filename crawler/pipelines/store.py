"""Store stage: every item that reaches it is committed to SQLite before the next is taken."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.fingerprint import fingerprint
from crawler.items import drop_empty
from crawler.store import ArticleStore, required_store


class StorePipeline:
    def __init__(self, crawler: Crawler, store: ArticleStore) -> None:
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, required_store(crawler))

    def process_item(self, item: Any) -> Any:
        article = drop_empty(ItemAdapter(item).asdict())
        outcome = self.store.save(article, fingerprint(article.get("body") or ""))
        self.crawler.stats.inc_value(f"store/{outcome}")
        return item
