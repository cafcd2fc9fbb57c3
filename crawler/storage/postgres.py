"""The article store on a PostgreSQL server (psycopg 3): one database that many workers write at once.

Same rows and semantics as the SQLite store (``crawler.storage.store``):
one row per canonical URL, ``version`` and ``previous_fetched_at`` when the
content changes, the body's four SimHash bands in an indexed
``(band, value)`` table.  Why a server: workers on several machines then
share one store, so near-duplicates link across workers, an article is in it
once, and no merge step is needed.

Concurrent writers: each save is one transaction that locks the row
(``SELECT ... FOR UPDATE``) or, for a new URL, inserts it with
``ON CONFLICT DO NOTHING``; a writer that loses that race reads the winner's
committed row (READ COMMITTED: each statement sees the latest commit) and
goes on as an update.  A commit is durable when ``save`` returns (the
server's WAL, fsynced), so a worker killed with SIGKILL loses nothing the
store took; what the store refuses (server gone, a lock held past
``NEWS_STORE_BUSY_TIMEOUT``) goes to the store stage's local journal, as with
SQLite.  The password never appears in a log line or an error.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler.storage.backend import StoreConnectError, StoreError, mask_url
from crawler.storage.fingerprint import Fingerprint
from crawler.storage.store import (
    DEFAULT_BUSY_TIMEOUT,
    StoredCopy,
    _signed,
    _unsigned,
    encode_article,
    link_to_first_copy,
)
from crawler.urls import url_key

if TYPE_CHECKING:
    import psycopg

#: Any constant: the advisory lock that makes two workers creating the schema at once take turns.
SCHEMA_LOCK = 0x6E657773
#: The first key of a SimHash band's advisory lock (plus the band's number; the second key is its value).
BAND_LOCK = 0x6E660000
#: Every band's lock, taken in band order (so two savers never wait on each other in a circle), held to the commit.
LOCK_BANDS = "SELECT " + ", ".join("pg_advisory_xact_lock(%s, %s)" for _ in range(4))


def band_locks(fingerprint: Fingerprint) -> list[tuple[int, int]]:
    """The advisory lock keys of a fingerprint's bands: two copies of one story share at least one band."""
    return [(BAND_LOCK + band, value) for band, value in enumerate(fingerprint.bands())]


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
    body_simhash        BIGINT,
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
    band          SMALLINT NOT NULL,
    value         INTEGER NOT NULL,
    canonical_url TEXT NOT NULL REFERENCES articles (canonical_url) ON DELETE CASCADE,
    PRIMARY KEY (band, value, canonical_url)
);
CREATE INDEX IF NOT EXISTS simhash_bands_url ON simhash_bands (canonical_url);
"""

#: The columns a save writes, in order (``version`` is the table's own).
COLUMNS = (
    "canonical_url", "url", "site", "language", "headline", "date_published", "content_hash", "body_exact",
    "body_simhash", "duplicate_of", "data", "fetched_at", "first_fetched_at", "previous_fetched_at",
)  # fmt: skip
INSERT = (
    f"INSERT INTO articles ({', '.join(COLUMNS)}) VALUES ({', '.join(f'%({name})s' for name in COLUMNS)}) "
    "ON CONFLICT (canonical_url) DO NOTHING RETURNING 1"
)
UPDATE = (
    f"UPDATE articles SET {', '.join(f'{name} = %({name})s' for name in COLUMNS if name != 'canonical_url')}, "
    "version = version + 1 WHERE canonical_url = %(canonical_url)s"
)
SELECT_FOR_UPDATE = (
    "SELECT content_hash, fetched_at, first_fetched_at FROM articles WHERE canonical_url = %s FOR UPDATE"
)


def default_journal_path(url: str) -> str:
    """Where the store stage journals what the server refused, by default: ``articles-<database>.postgres``."""
    database = urlsplit(url).path.lstrip("/") or "postgres"
    return f"articles-{database}.postgres"


class PostgresStore:
    """One database.  ``read_only=True`` (``scrapy export``): a read-only session, no schema made."""

    shared = True
    MAX_CANDIDATES = 50

    def __init__(
        self,
        url: str,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        journal_path: str | Path = "articles.postgres",
        read_only: bool = False,
    ) -> None:
        self.url = url
        self.shown_url = mask_url(url)
        self.path = Path(journal_path)
        self.read_only = read_only
        self.busy_timeout = busy_timeout
        self.connection = self._connect()
        if read_only:
            if not self._has_schema():
                self.close()
                raise StoreConnectError(f"store: no article store in {self.shown_url} (crawl into it first)")
            return
        if self._has_schema():  # no DDL (and its table locks) at every worker's start
            return
        with self._errors(), self.connection.transaction():
            self.connection.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            for statement in filter(str.strip, SCHEMA.split(";")):
                self.connection.execute(statement)

    def __repr__(self) -> str:
        return f"PostgresStore({self.shown_url!r})"

    # -- the connection ----------------------------------------------------------

    def _connect(self) -> psycopg.Connection[Any]:
        """A new autocommit connection; ``StoreConnectError`` with one masked line when there is none."""
        try:
            import psycopg
            from psycopg.rows import tuple_row
        except ImportError:
            raise StoreConnectError(
                f"store: cannot connect to {self.shown_url}: psycopg is not installed (pip install 'newsframe[postgres]')"
            ) from None
        options = f"-c lock_timeout={max(1, int(self.busy_timeout * 1000))}"
        if self.read_only:
            options += " -c default_transaction_read_only=on"
        try:
            connection = psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=max(2, math.ceil(min(self.busy_timeout, 10.0))),
                options=options,
                application_name="newsframe",
                row_factory=tuple_row,
            )
        except psycopg.Error as error:
            raise StoreConnectError(f"store: cannot connect to {self.shown_url}: {self._reason(error)}") from None
        return connection

    def _live(self) -> psycopg.Connection[Any]:
        """The connection, made again after the server dropped it (a restart, a network cut)."""
        if self.connection.closed or self.connection.broken:
            self.connection.close()
            self.connection = self._connect()
        return self.connection

    def _reason(self, error: Exception) -> str:
        """The driver's message on one line, without the password even if the driver echoed it."""
        text = " ".join(str(error).split()) or type(error).__name__
        password = urlsplit(self.url).password
        return text.replace(password, "***") if password else text

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """psycopg's errors as :class:`StoreError`: the store stage journals the item and tries again later."""
        import psycopg

        try:
            yield
        except psycopg.Error as error:
            raise StoreError(f"{self.shown_url}: {self._reason(error)}") from None

    def _has_schema(self) -> bool:
        with self._errors():
            row = self.connection.execute(
                "SELECT to_regclass('articles') IS NOT NULL AND to_regclass('simhash_bands') IS NOT NULL"
            ).fetchone()
        return bool(row and row[0])

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------

    def save(self, article: dict[str, Any], fingerprint: Fingerprint | None) -> str:
        """Insert or update one article in one transaction; answer ``new``, ``updated`` or ``unchanged``."""
        key = article["canonical_url"]
        data, digest = encode_article(article)
        with self._errors():
            connection = self._live()
            with connection.transaction():
                row = connection.execute(SELECT_FOR_UPDATE, (key,)).fetchone()
                if row is None and fingerprint is not None and article.get("duplicate_of") is None:
                    # A copy of the story saved by another worker right now holds one of these band locks
                    # until it commits; then this article is linked to it, not stored as a first copy too.
                    connection.execute(LOCK_BANDS, [item for pair in band_locks(fingerprint) for item in pair])
                    data = link_to_first_copy(self, article, fingerprint) or data
                if row is None:
                    inserted = connection.execute(INSERT, _values(article, key, digest, data, fingerprint, None))
                    if inserted.fetchone() is None:  # another writer committed this URL meanwhile: now ours to update
                        row = connection.execute(SELECT_FOR_UPDATE, (key,)).fetchone()
                        assert row is not None  # rows are never deleted
                if row is not None:
                    if row[0] == digest:
                        return "unchanged"
                    connection.execute(UPDATE, _values(article, key, digest, data, fingerprint, row))
                    connection.execute("DELETE FROM simhash_bands WHERE canonical_url = %s", (key,))
                if fingerprint is not None and article.get("duplicate_of") is None:  # only first copies are looked up
                    with connection.cursor() as cursor:
                        cursor.executemany(
                            "INSERT INTO simhash_bands (band, value, canonical_url) VALUES (%s, %s, %s)",
                            [(band, value, key) for band, value in enumerate(fingerprint.bands())],
                        )
        return "new" if row is None else "updated"

    # -- reading ---------------------------------------------------------------

    def knows(self, url: str) -> bool:
        key = url_key(url)
        with self._errors():
            row = (
                self._live()
                .execute("SELECT 1 FROM articles WHERE canonical_url = %s OR url = %s LIMIT 1", (key, key))
                .fetchone()
            )
        return row is not None

    def similar_copies(self, fingerprint: Fingerprint, exclude: str) -> Iterator[StoredCopy]:
        """First copies sharing a band with ``fingerprint``, oldest first (as SQLite orders: no date first)."""
        clauses = " OR ".join("(b.band = %s AND b.value = %s)" for _ in range(4))
        parameters: list[Any] = [item for pair in enumerate(fingerprint.bands()) for item in pair]
        with self._errors():
            rows = (
                self._live()
                .execute(
                    f"""SELECT a.canonical_url, a.body_exact, a.body_simhash FROM articles a
                        WHERE a.canonical_url IN (SELECT b.canonical_url FROM simhash_bands b WHERE {clauses})
                        AND a.canonical_url != %s AND a.duplicate_of IS NULL
                        ORDER BY a.first_fetched_at NULLS FIRST, a.canonical_url COLLATE "C"
                        LIMIT {self.MAX_CANDIDATES}""",
                    [*parameters, exclude],
                )
                .fetchall()
            )
        for canonical_url, exact, simhash in rows:
            yield StoredCopy(canonical_url, Fingerprint(exact, _unsigned(simhash)))

    def articles(
        self, site: str | None = None, since: str | None = None, until: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Stored articles, oldest publication first, read through a server-side cursor (any number of them)."""
        conditions, parameters = [], []
        if site:
            conditions.append("site = %s")
            parameters.append(site)
        if since:
            conditions.append("substr(date_published, 1, 10) >= %s")
            parameters.append(since)
        if until:
            conditions.append("substr(date_published, 1, 10) <= %s")
            parameters.append(until)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        query = f'SELECT data FROM articles {where} ORDER BY date_published COLLATE "C" NULLS FIRST, canonical_url COLLATE "C"'
        with self._errors():
            connection = self._live()
            with connection.transaction(), connection.cursor(name="newsframe_articles") as cursor:
                cursor.itersize = 500
                cursor.execute(query, parameters)
                for (data,) in cursor:
                    yield json.loads(data)

    def count(self) -> int:
        with self._errors():
            row = self._live().execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0


def _values(
    article: dict[str, Any],
    key: str,
    digest: str,
    data: str,
    fingerprint: Fingerprint | None,
    row: tuple[Any, ...] | None,
) -> dict[str, Any]:
    """A save's column values; ``row`` (content hash, fetched_at, first_fetched_at) is the stored one, if any."""
    return {
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
        "first_fetched_at": row[2] if row else article.get("fetched_at"),
        "previous_fetched_at": row[1] if row else None,
    }
