"""Store stage: every item that reaches it is on disk before it goes on, committed to the store or journaled.

The store is SQLite (``NEWS_STORE_PATH``) or a PostgreSQL server
(``NEWS_STORE_URL``); the journal is always a local file (beside the SQLite
file, or at ``NEWS_STORE_JOURNAL_PATH`` for a server), and a server that is
gone or a row lock held past the busy timeout defers an item as a SQLite lock
does.

The rule: when ``process_item`` returns, the article is either committed to
the store or appended to an fsynced journal file beside it, so a crawl
killed at any point (SIGKILL) loses nothing Scrapy logged as scraped.

- Normally the article is committed (one transaction, no extra fsync).
- A write waits ``NEWS_STORE_BUSY_TIMEOUT`` seconds for another process's
  lock on the file (a ``sqlite3`` shell, a backup, a second crawl).  When the
  lock outlasts that, or SQLite fails in any other way (disk full, I/O error,
  a damaged file), the article is appended to this crawl's journal
  (``<store>.pending.<time>-<pid>.jsonl``, fsynced) and waits in memory too
  (``store/deferred``).  Later articles queue behind it, in order, and the
  store is tried again every ``NEWS_STORE_RETRY_INTERVAL`` seconds while
  items arrive, and once more when the crawl closes.  Once every waiting
  article is committed, the journal is removed; a kill in between leaves a
  journal whose committed articles are saved again as ``unchanged``.
- What is still waiting at the end stays in the journal (``store/spilled``,
  an ERROR line); the next crawl on the store writes it first
  (``store/pending_loaded``; an older version's ``<store>.pending.jsonl``
  too), and removes it only after every article in it is committed.  A crawl never takes up a journal another running crawl
  holds (each holds an ``flock`` on its own).
- A journal line that cannot be read (a crawl killed while writing it) is
  moved to ``<store>.pending.damaged.jsonl`` (``store/quarantined``, one
  ERROR line) and never stops a crawl.
- Only if the journal cannot be written either (disk full) does an article
  wait in memory alone; still unwritten when the crawl closes, it is lost,
  and then each one is logged by URL (``store/lost``).
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import time
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.items import drop_empty, is_empty
from crawler.pipelines.journal import Journal, journal_paths, keep_aside, parse_journal
from crawler.storage.backend import Store, StoreError
from crawler.storage.fingerprint import fingerprint
from crawler.storage.store import required_store

logger = logging.getLogger(__name__)

DEFAULT_RETRY_INTERVAL = 5.0


def article_dict(item: Any) -> dict[str, Any]:
    """``drop_empty(ItemAdapter(item).asdict())``, the article as stored, in one pass for a dataclass item.

    Why: ``ItemAdapter.asdict`` builds an adapter for every nested item and
    asks each value ``is_item`` (every adapter class in turn), then
    ``drop_empty`` copies the result again; that was a sixth of the chain's
    time.  Dataclass items (``Article``, ``Image``, ``Embed``) are read
    field by field here, with the same result; any other item type goes
    the general way.
    """
    if not is_dataclass(item) or isinstance(item, type):
        return drop_empty(ItemAdapter(item).asdict())
    return _plain(item)


def _plain(value: Any) -> Any:
    """One value as ``drop_empty(ItemAdapter._asdict(value))`` makes it, empties dropped on the way."""
    if isinstance(value, str) or value is None:
        return value
    if isinstance(value, dict):
        pairs = ((key, _plain(item)) for key, item in value.items())
        return {key: item for key, item in pairs if not is_empty(item)}
    if isinstance(value, (list, tuple)):
        return [item for item in map(_plain, value) if not is_empty(item)]
    if is_dataclass(value) and not isinstance(value, type):
        pairs = ((name, _plain(getattr(value, name))) for name in _field_names(type(value)))
        return {key: item for key, item in pairs if not is_empty(item)}
    return drop_empty(ItemAdapter._asdict(value))  # a set, another item type, a scalar: as before


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(cls))


class StorePipeline:
    def __init__(self, crawler: Crawler, store: Store) -> None:
        self.crawler = crawler
        self.store = store
        self.retry_interval = crawler.settings.getfloat("NEWS_STORE_RETRY_INTERVAL", DEFAULT_RETRY_INTERVAL)
        #: Articles not committed yet, oldest first; each is in a journal unless it is in ``unjournaled``.
        self.pending: list[dict[str, Any]] = []
        #: Those of ``pending`` that no journal holds (the journal could not be written), in order.
        self.unjournaled: list[dict[str, Any]] = []
        #: This crawl's own journal, made at the first deferred article; earlier crawls' journals it took up.
        self.journal: Journal | None = None
        self.taken_up: list[Journal] = []
        self.retry_at = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, required_store(crawler))

    # -- the crawl ------------------------------------------------------------

    def open_spider(self, spider: Any = None) -> None:
        """Articles earlier crawls journaled are written first; their journals go once all are committed."""
        for path in journal_paths(self.store):
            journal = Journal.take_up(path)
            if journal is not None:
                self.taken_up.append(journal)
        if not self.taken_up:
            return
        damaged: list[bytes] = []
        for journal in self.taken_up:
            articles, bad = parse_journal(journal.read())
            self.pending.extend(articles)
            damaged.extend(bad)
        if damaged:
            self._quarantine(damaged)
        logger.info("Writing %d articles earlier crawls left in %s", len(self.pending),
                    ", ".join(str(journal.path) for journal in self.taken_up))  # fmt: skip
        self.crawler.stats.inc_value("store/pending_loaded", len(self.pending))
        self._write_pending()
        if self.pending:
            self._take_over()

    def process_item(self, item: Any) -> Any:
        article = article_dict(item)
        if self.pending and time.monotonic() >= self.retry_at:
            self._write_pending()
        if not self.pending and self._save(article):
            self._take_link(item, article)
            return item
        # The store refused it, or older articles wait: it waits behind them, journaled before it goes on.
        self.pending.append(article)
        self.crawler.stats.inc_value("store/deferred")
        self._journal([article])
        return item

    def close_spider(self, spider: Any = None) -> None:
        if self.pending:
            self._write_pending()
        if self.pending:
            if self.unjournaled:
                self._journal([])  # a last try
            kept = len(self.pending) - len(self.unjournaled)
            if kept:
                self.crawler.stats.inc_value("store/spilled", kept)
                logger.error("%d articles could not be stored; they are in %s and the next crawl stores them first",
                             kept, ", ".join(str(path) for path in self._journal_paths()))  # fmt: skip
            if self.unjournaled:
                self.crawler.stats.inc_value("store/lost", len(self.unjournaled))
                for article in self.unjournaled:
                    logger.error("Lost %s: neither the store nor a journal beside it took it", article.get("url"))
        for journal in self._journals():
            journal.close()  # the files stay, unlocked, for the next crawl

    # -- writing ------------------------------------------------------------

    def _save(self, article: dict[str, Any]) -> bool:
        """Commit one article; ``False`` (and a retry time set) when the store refuses it."""
        try:
            outcome = self.store.save(article, fingerprint(article.get("body") or ""))
        # SQLite: locked past the busy timeout, disk full, I/O error, a damaged file; a server: gone, a lock wait
        except (sqlite3.Error, StoreError) as error:
            self.retry_at = time.monotonic() + self.retry_interval
            waiting = len(self.pending) if self.pending and self.pending[0] is article else len(self.pending) + 1
            logger.warning("The store refused %s (%s); %d articles kept to write later",
                           article.get("url"), error, waiting)  # fmt: skip
            return False
        self.crawler.stats.inc_value(f"store/{outcome}")
        return True

    def _take_link(self, item: Any, article: dict[str, Any]) -> None:
        """The store linked the article to a copy another worker stored after the dedupe stage looked
        (``link_to_first_copy``): the item says so too, as the feed should."""
        adapter = ItemAdapter(item)
        if article.get("duplicate_of") and not adapter.get("duplicate_of"):
            adapter["duplicate_of"] = article["duplicate_of"]
            self.crawler.stats.inc_value("dedupe/linked_by_store")

    def _write_pending(self) -> None:
        """Write the waiting articles in order; stop at the first the store refuses and keep the rest.

        When none is left, the journals that held them are removed: only now, after every commit.
        """
        while self.pending:
            article = self.pending[0]
            if not self._save(article):
                return
            self.pending.pop(0)
            if self.unjournaled and self.unjournaled[0] is article:
                self.unjournaled.pop(0)
        for journal in self._journals():
            journal.remove()
        self.journal, self.taken_up = None, []

    def _journal(self, articles: list[dict[str, Any]]) -> None:
        """Append to this crawl's journal (with any article an earlier try could not write), fsynced."""
        lines = self.unjournaled + articles
        if not lines:
            return
        try:
            if self.journal is None:
                self.journal = Journal.create(self.store)
            self.journal.append(lines)
        except OSError as error:
            if not self.unjournaled:
                logger.error("Could not journal %s (%s): %d articles wait in memory only until the store takes them",
                             articles[0].get("url") if articles else "", error, len(lines))  # fmt: skip
            self.unjournaled.extend(articles)
            return
        self.unjournaled.clear()

    def _take_over(self) -> None:
        """The store refused the earlier crawls' articles: copy those not committed into this crawl's journal,
        then remove the old journals (so that a line quarantined is not quarantined again next time)."""
        if not self.taken_up:
            return
        try:
            self.journal = self.journal or Journal.create(self.store)
            self.journal.append(self.pending)
        except OSError as error:
            logger.warning("Could not copy the earlier crawls' articles into %s (%s); their journals are kept",
                           self.journal.path if self.journal else "a new journal", error)  # fmt: skip
            return
        for journal in self.taken_up:
            journal.remove()
        self.taken_up = []

    def _quarantine(self, lines: list[bytes]) -> None:
        self.crawler.stats.inc_value("store/quarantined", len(lines))
        sources = ", ".join(str(journal.path) for journal in self.taken_up)
        try:
            path = keep_aside(self.store, lines)
        except OSError as error:
            # Kept where they are: the journals holding them are not removed, and the next crawl tries again.
            logger.error(
                "%d damaged lines in %s could not be moved aside (%s); left in place", len(lines), sources, error
            )
            for journal in self.taken_up:
                journal.keep = True
            return
        logger.error(
            "%d damaged lines in %s (not articles: cut short or garbled) moved to %s", len(lines), sources, path
        )

    def _journals(self) -> list[Journal]:
        return [*self.taken_up, *([self.journal] if self.journal else [])]

    def _journal_paths(self) -> list[Path]:
        return [journal.path for journal in self._journals()]
