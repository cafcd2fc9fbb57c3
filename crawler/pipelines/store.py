"""Store stage: every item that reaches it is committed to SQLite, or kept until it can be.

A write waits ``NEWS_STORE_BUSY_TIMEOUT`` seconds for another process's lock
on the file (a ``sqlite3`` shell, a backup, ``scrapy export``).  When the
lock outlasts that, or the disk is full, the item is not dropped: it waits
in memory (``store/deferred``) and is written, in order, once the store
takes writes again (tried again every ``NEWS_STORE_RETRY_INTERVAL`` seconds
while items arrive, and once more when the crawl closes).  What still
cannot be written at the end goes to a JSON Lines file beside the store
(``<store>.pending.jsonl``, ``store/spilled``, an ERROR line), which the
next crawl writes to the store first.  Only if even that file cannot be
written is an item lost, and then each one is logged by URL (``store/lost``).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.fingerprint import fingerprint
from crawler.items import drop_empty
from crawler.store import ArticleStore, required_store

logger = logging.getLogger(__name__)

DEFAULT_RETRY_INTERVAL = 5.0


def pending_path(store: ArticleStore) -> Path:
    """Where articles the store would not take are kept for the next crawl."""
    return store.path.with_name(store.path.name + ".pending.jsonl")


class StorePipeline:
    def __init__(self, crawler: Crawler, store: ArticleStore) -> None:
        self.crawler = crawler
        self.store = store
        self.retry_interval = crawler.settings.getfloat("NEWS_STORE_RETRY_INTERVAL", DEFAULT_RETRY_INTERVAL)
        #: Articles not written yet, oldest first.
        self.pending: list[dict[str, Any]] = []
        self.retry_at = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, required_store(crawler))

    def open_spider(self, spider: Any = None) -> None:
        """Articles an earlier crawl could not write are written first."""
        path = pending_path(self.store)
        if not path.exists():
            return
        self.pending = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        path.unlink()
        logger.info("Writing %d articles an earlier crawl left in %s", len(self.pending), path)
        self.crawler.stats.inc_value("store/pending_loaded", len(self.pending))
        self._write_pending()

    def process_item(self, item: Any) -> Any:
        article = drop_empty(ItemAdapter(item).asdict())
        self.pending.append(article)
        if len(self.pending) == 1 or time.monotonic() >= self.retry_at:
            self._write_pending()
        if self.pending and self.pending[-1] is article:
            self.crawler.stats.inc_value("store/deferred")
        return item

    def close_spider(self, spider: Any = None) -> None:
        if self.pending:
            self._write_pending()
        if self.pending:
            self._spill()

    def _write_pending(self) -> None:
        """Write the waiting articles in order; stop at the first the store refuses and keep the rest."""
        while self.pending:
            article = self.pending[0]
            try:
                outcome = self.store.save(article, fingerprint(article.get("body") or ""))
            except sqlite3.OperationalError as error:  # locked past the busy timeout, disk full, I/O error
                self.retry_at = time.monotonic() + self.retry_interval
                logger.warning("The store refused %s (%s); %d articles kept to write later",
                               article.get("url"), error, len(self.pending))  # fmt: skip
                return
            self.pending.pop(0)
            self.crawler.stats.inc_value(f"store/{outcome}")

    def _spill(self) -> None:
        path = pending_path(self.store)
        try:
            with path.open("a", encoding="utf-8") as file:
                for article in self.pending:
                    file.write(json.dumps(article, ensure_ascii=False, sort_keys=True) + "\n")
        except OSError as error:
            self.crawler.stats.inc_value("store/lost", len(self.pending))
            for article in self.pending:
                logger.error("Lost %s: the store and %s both refused it (%s)", article.get("url"), path, error)
            return
        self.crawler.stats.inc_value("store/spilled", len(self.pending))
        logger.error("%d articles could not be stored; they are in %s and the next crawl stores them first",
                     len(self.pending), path)  # fmt: skip
