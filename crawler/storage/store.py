"""The article store: one SQLite file, one row per article, keyed by canonical URL.

Why SQLite: one file, no server, real transactions.  In WAL mode with each
item committed on its own, a crawl killed with SIGKILL loses nothing it had
already handed to the store, and a reader (``scrapy export``, ``sqlite3``)
can read while a crawl writes.

What the store promises: every committed article survives the process being
killed (SIGKILL, an OOM kill, a crash), not a power loss or an operating system
crash.  That is WAL with ``synchronous=NORMAL``: a commit is written to the
``-wal`` file (in the operating system's page cache) before ``save`` returns,
and the file is fsynced only at a checkpoint.  A killed process leaves the
written pages with the system, and the next open replays them; only a machine
that stops before the system writes its cache out can lose the last commits
(never leaving the file damaged).  ``synchronous=FULL`` would fsync every commit
to survive that too; ``benchmarks/pipeline_speed.py`` prints both policies' rate
side by side.

A later crawl updates a row only when the article's content changed; the
row then keeps the previous version's fetch time.  Body fingerprints are
stored with their four SimHash bands, so near-duplicates are found by an
index lookup rather than a scan.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.items import field_names
from crawler.storage.backend import Store, first_stored_copy, open_store
from crawler.storage.fingerprint import Fingerprint
from crawler.urls import url_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    canonical_url       TEXT PRIMARY KEY,
    url                 TEXT NOT NULL,
    site                TEXT,
    language            TEXT,
    headline            TEXT,
    date_published      TEXT,
    content_hash        TEXT NOT NULL,
    body_exact          TEXT,
    body_simhash        INTEGER,
    duplicate_of        TEXT,
    data                TEXT NOT NULL,
    first_fetched_at    TEXT,
    fetched_at          TEXT,
    previous_fetched_at TEXT,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS articles_url ON articles (url);
CREATE INDEX IF NOT EXISTS articles_site_date ON articles (site, date_published);
CREATE INDEX IF NOT EXISTS articles_body_exact ON articles (body_exact);
CREATE TABLE IF NOT EXISTS simhash_bands (
    band          INTEGER NOT NULL,
    value         INTEGER NOT NULL,
    canonical_url TEXT NOT NULL REFERENCES articles (canonical_url) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS simhash_bands_lookup ON simhash_bands (band, value);
"""

#: First copies sharing a band, oldest first: one indexed lookup per band (``simhash_bands_lookup``), not an OR
#: over the four, which SQLite ran as a MULTI-INDEX OR joined row by row and made DISTINCT in a temporary B-tree.
#: Only first copies have band rows (see :meth:`ArticleStore.save`), so each lookup finds the few stories that
#: share the band, not every republished copy of them; ``duplicate_of IS NULL`` stays for a store written before
#: that, whose copies still have theirs.  The ORDER BY sorts those few candidates only.
SIMILAR_COPIES = f"""SELECT a.canonical_url, a.body_exact, a.body_simhash FROM articles a
    WHERE a.canonical_url IN ({" UNION ALL ".join(["SELECT canonical_url FROM simhash_bands WHERE band = ? AND value = ?"] * 4)})
    AND a.canonical_url != ? AND a.duplicate_of IS NULL
    ORDER BY a.first_fetched_at, a.canonical_url
    LIMIT {{limit}}"""

#: Fields that are about this fetch or this crawl, not the article: a change in them is no new version.
NOT_CONTENT = frozenset(field_names(content=False))


#: ``json.dumps(value, ensure_ascii=False, sort_keys=True)``, without a new encoder for every call.
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def link_to_first_copy(store: Store, article: dict[str, Any], value: Fingerprint) -> str | None:
    """Set ``duplicate_of`` on an article about to be stored as a first copy if the store now holds an older
    first copy of its story; answer the article's new ``data`` JSON then, else ``None``.

    A backend calls this inside its write transaction, holding what orders it with every other writer
    of a copy (SQLite's file lock, PostgreSQL's band locks), so two copies saved at once by two workers
    cannot both become first copies.  ``duplicate_of`` is no content: the content hash stays.
    """
    original = first_stored_copy(store, value, article["canonical_url"])
    if original is None:
        return None
    article["duplicate_of"] = original
    return _ENCODE(article)


def content_hash(article: dict[str, Any]) -> str:
    """SHA-1 of the article's content fields as sorted JSON: a change in it is a new version."""
    content = {key: value for key, value in article.items() if key not in NOT_CONTENT}
    return _digest(_ENCODE(content))


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def encode_article(article: dict[str, Any]) -> tuple[str, str]:
    """The ``data`` column (the article as sorted JSON) and :func:`content_hash`, the article encoded once.

    Why: the content's JSON is the article's less the fields of ``NOT_CONTENT``, so the article is
    encoded in runs of sorted keys, cut where a content field meets another: the data is every run
    joined, the content only the content runs (``json.dumps`` separates pairs with ``", "``).  Two
    whole encodings were a fifth of a save.  Keys that are not all strings (not an article of ours)
    are encoded twice, as before.
    """
    if not all(type(key) is str for key in article):
        return _ENCODE(article), content_hash(article)
    runs: list[tuple[bool, dict[str, Any]]] = []
    for key in sorted(article):
        content = key not in NOT_CONTENT
        if runs and runs[-1][0] == content:
            runs[-1][1][key] = article[key]
        else:
            runs.append((content, {key: article[key]}))
    parts = [(content, _ENCODE(run)[1:-1]) for content, run in runs]
    data = "{" + ", ".join(part for _, part in parts) + "}"
    return data, _digest("{" + ", ".join(part for content, part in parts if content) + "}")


def _signed(value: int) -> int:
    """SQLite integers are signed 64-bit."""
    return value - (1 << 64) if value >= 1 << 63 else value


def _unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


@dataclass(frozen=True)
class StoredCopy:
    canonical_url: str
    fingerprint: Fingerprint


#: WAL pages written before a commit copies them into the file (SQLite's default is 1000, about 4 MB).
#: Why more: a checkpoint copies every page the WAL holds and fsyncs the file, and a commit per article
#: writes about nine pages, most of them the same few index pages again; at 1000 the checkpoints were
#: a third of a save.  At 10,000 (a WAL of up to about 40 MB) a page written many times is copied once.
#: What a kill can lose is unchanged: a commit is in the WAL when ``save`` returns, checkpointed or not.
WAL_AUTOCHECKPOINT_PAGES = 10_000

#: Seconds a write waits for another process's lock on the file before it gives up (``NEWS_STORE_BUSY_TIMEOUT``).
DEFAULT_BUSY_TIMEOUT = 30.0


class ArticleStore:
    """One store file.  ``read_only=True`` (``scrapy export``) never writes: no schema, no journal mode change.

    The embedded backend of :class:`crawler.storage.backend.Store`; PostgreSQL
    (``crawler.storage.postgres``) is the shared one.
    """

    #: One worker's own file: what other workers stored is not in it.
    shared = False

    def __init__(self, path: str | Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only:
            self.connection = _open_read_only(self.path, busy_timeout)
            self.connection.row_factory = sqlite3.Row
            return
        if self.path.parent != Path(""):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: every write below is its own explicit transaction.
        self.connection = sqlite3.connect(self.path, isolation_level=None, timeout=busy_timeout)
        self.connection.row_factory = sqlite3.Row
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes in WAL mode
        self.connection.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        self.connection.execute("PRAGMA foreign_keys=ON")
        self.connection.executescript(SCHEMA)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> ArticleStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------

    def save(self, article: dict[str, Any], fingerprint: Fingerprint | None) -> str:
        """Insert or update one article; answer ``new``, ``updated`` or ``unchanged``.

        The row is read inside the write transaction (``BEGIN IMMEDIATE`` takes
        the file's write lock first), so two processes saving one canonical URL
        at once cannot both find it absent and both insert it: the second waits,
        then sees the first one's row.  Any ``sqlite3.Error`` leaves the store
        as it was (rolled back) and is raised to the caller.
        """
        key = article["canonical_url"]
        data, digest = encode_article(article)
        self.connection.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout for another writer
        try:
            row = self.connection.execute(
                "SELECT content_hash, fetched_at, first_fetched_at FROM articles WHERE canonical_url = ?", (key,)
            ).fetchone()
            if row is not None and row["content_hash"] == digest:
                self.connection.execute("COMMIT")  # nothing written: ends the transaction, lets go of the lock
                return "unchanged"
            if row is None and fingerprint is not None and article.get("duplicate_of") is None:
                # Under the file's write lock, which orders every writer: a copy another crawl stored since
                # the dedupe stage looked is seen now, and this article is linked to it.
                data = link_to_first_copy(self, article, fingerprint) or data
            values = {
                "canonical_url": key,
                "url": article["url"],
                "site": article.get("site"),
                "language": article.get("language"),
                "headline": article.get("headline"),
                "date_published": article.get("date_published"),
                "content_hash": digest,
                "body_exact": fingerprint.exact if fingerprint else None,
                "body_simhash": _signed(fingerprint.simhash) if fingerprint else None,
                "duplicate_of": article.get("duplicate_of"),
                "data": data,
                "fetched_at": article.get("fetched_at"),
                "first_fetched_at": row["first_fetched_at"] if row else article.get("fetched_at"),
                "previous_fetched_at": row["fetched_at"] if row else None,
            }
            columns = ", ".join(values)
            placeholders = ", ".join(f":{name}" for name in values)
            if row is None:
                self.connection.execute(f"INSERT INTO articles ({columns}) VALUES ({placeholders})", values)
            else:
                assignments = ", ".join(f"{name} = :{name}" for name in values if name != "canonical_url")
                self.connection.execute(
                    f"UPDATE articles SET {assignments}, version = version + 1 WHERE canonical_url = :canonical_url",
                    values,
                )
                self.connection.execute("DELETE FROM simhash_bands WHERE canonical_url = ?", (key,))
            if fingerprint is not None and article.get("duplicate_of") is None:  # only first copies are looked up
                self.connection.executemany(
                    "INSERT INTO simhash_bands (band, value, canonical_url) VALUES (?, ?, ?)",
                    [(band, value, key) for band, value in enumerate(fingerprint.bands())],
                )
            self.connection.execute("COMMIT")
        except BaseException:
            if self.connection.in_transaction:  # a failed COMMIT may have ended it already
                self.connection.execute("ROLLBACK")
            raise
        return "new" if row is None else "updated"

    # -- reading -----------------------------------------------------------

    def knows(self, url: str) -> bool:
        """Is an article stored under this URL, fetched or canonical?"""
        key = url_key(url)
        row = self.connection.execute(
            "SELECT 1 FROM articles WHERE canonical_url = ? OR url = ? LIMIT 1", (key, key)
        ).fetchone()
        return row is not None

    #: Candidates looked at per lookup; a story has few first copies.
    MAX_CANDIDATES = 50

    def similar_copies(self, fingerprint: Fingerprint, exclude: str) -> Iterator[StoredCopy]:
        """First copies (not themselves duplicates) sharing a SimHash band with ``fingerprint``, oldest first.

        Copies link to the first copy, never to another copy, so only first
        copies are candidates: the lookup stays small however often a story
        was republished.
        """
        parameters: list[Any] = [item for pair in enumerate(fingerprint.bands()) for item in pair]
        rows = self.connection.execute(SIMILAR_COPIES.format(limit=self.MAX_CANDIDATES), [*parameters, exclude])
        for row in rows:
            yield StoredCopy(row["canonical_url"], Fingerprint(row["body_exact"], _unsigned(row["body_simhash"])))

    def articles(
        self, site: str | None = None, since: str | None = None, until: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Stored articles as their output dicts, oldest publication first.

        ``since``/``until`` compare with ``date_published`` by its date
        (YYYY-MM-DD, inclusive); articles without a date are left out of a
        ranged query.
        """
        conditions, parameters = [], []
        if site:
            conditions.append("site = ?")
            parameters.append(site)
        if since:
            conditions.append("substr(date_published, 1, 10) >= ?")
            parameters.append(since)
        if until:
            conditions.append("substr(date_published, 1, 10) <= ?")
            parameters.append(until)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        query = f"SELECT data FROM articles {where} ORDER BY date_published, canonical_url"
        for row in self.connection.execute(query, parameters):
            yield json.loads(row["data"])

    def count(self) -> int:
        return self.connection.execute("SELECT count(*) FROM articles").fetchone()[0]


def _open_read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A connection that cannot write to the store, even for root (``mode=ro``).

    Raises ``sqlite3.OperationalError`` when there is no such file (never
    creates one).  A WAL-mode file in a folder the reader cannot write to,
    with no ``-wal`` file beside it, cannot be read with ``mode=ro`` (SQLite
    wants to make the ``-shm`` index beside it); it is then opened
    ``immutable``, without SQLite's locks.  No writer has it open then (a
    writer keeps a ``-wal`` file); only one that starts during the read, as
    a user who may write that folder, could make the read see a half-written
    state.
    """
    uri = path.resolve().as_uri()
    connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=busy_timeout)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return connection
    except sqlite3.OperationalError:
        connection.close()
        wal = path.with_name(path.name + "-wal")
        if wal.exists() or os.access(path.parent, os.W_OK):
            raise
    connection = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None, timeout=busy_timeout)
    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return connection


def required_store(crawler: Crawler) -> Store:
    """The crawl's store, for a component that is off without one (``NotConfigured``)."""
    store = store_for(crawler)
    if store is None:
        raise NotConfigured("neither NEWS_STORE_URL nor NEWS_STORE_PATH is set")
    return store


#: Each crawl's one store, beside the crawler rather than on it (no attribute of ours on Scrapy's object).
#: Not an extension found with ``crawler.get_extension``: the store is wanted by components built before the
#: extension manager exists (and, in tests and tools, without a crawl at all).  Weak: a finished crawler
#: takes its entry with it.
_STORES: WeakKeyDictionary[Crawler, Store] = WeakKeyDictionary()


def store_for(crawler: Crawler) -> Store | None:
    """The crawl's one store (``NEWS_STORE_URL``, else ``NEWS_STORE_PATH``), shared by pipelines and middlewares;
    ``None`` when neither is set."""
    store = _STORES.get(crawler)
    if store is None:
        store = open_store(crawler.settings)
        if store is None:
            return None
        _STORES[crawler] = store
        crawler.signals.connect(store.close, signal=signals.spider_closed)
    return store
