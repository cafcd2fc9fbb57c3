"""The article store's interface, and the choice of backend: SQLite (a file) or PostgreSQL (a shared server).

Every component that reads or writes articles (the dedupe, store and shared
stages, the incremental skip, ``scrapy export``) talks to :class:`Store`, so
the two backends are interchangeable: one row per canonical URL, a new
version when the content changes, SimHash band lookup, ``knows()`` for the
incremental skip.  SQLite stays the default (``NEWS_STORE_PATH``, nothing to
run); ``NEWS_STORE_URL=postgresql://...`` picks the server, which several
workers on several machines can share.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

    from crawler.storage.fingerprint import Fingerprint
    from crawler.storage.store import StoredCopy


class StoreError(Exception):
    """A backend's refusal (server gone, lock wait too long, a failed commit): the store stage journals the item.

    SQLite raises ``sqlite3.Error`` itself (its tests and tools expect it);
    other backends wrap their driver's errors in this, with any password in
    the message masked.
    """


class StoreConnectError(StoreError):
    """The store cannot be opened at all: ``store: cannot connect to <masked url>: <reason>``."""


class Store(Protocol):
    """What every backend does; see ``crawler.storage.store.ArticleStore`` for the semantics."""

    #: The local path the store stage's journal files are named after (``<path>.pending.<time>-<pid>.jsonl``).
    path: Path
    #: Whether other workers write the same store (then the store, not Redis, says what is stored elsewhere).
    shared: bool

    def save(self, article: dict[str, Any], fingerprint: Fingerprint | None) -> str: ...
    def knows(self, url: str) -> bool: ...
    def similar_copies(self, fingerprint: Fingerprint, exclude: str) -> Iterator[StoredCopy]: ...
    def articles(
        self, site: str | None = None, since: str | None = None, until: str | None = None
    ) -> Iterator[dict[str, Any]]: ...
    def count(self) -> int: ...
    def close(self) -> None: ...


def mask_url(url: str) -> str:
    """The URL with its password as ``***``: what logs and error lines show of a store's address."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def first_stored_copy(store: Store, value: Fingerprint, exclude: str) -> str | None:
    """The canonical URL of the oldest first copy in ``store`` that a body of fingerprint ``value`` copies, if any.

    Asked by the dedupe stage, and asked again by each backend's ``save`` under its write lock before a
    new article is stored as a first copy: between the two, another worker or crawl may have stored a
    copy of the same story, which the first asking could not see.
    """
    return next(
        (copy.canonical_url for copy in store.similar_copies(value, exclude) if value.is_near(copy.fingerprint)),
        None,
    )


def is_server_url(value: str) -> bool:
    return value.startswith(("postgresql://", "postgres://"))


def open_store(settings: BaseSettings, read_only: bool = False) -> Store | None:
    """The store the settings name: ``NEWS_STORE_URL`` (PostgreSQL) first, else ``NEWS_STORE_PATH`` (SQLite).

    ``None`` when neither is set (nothing is stored).  Raises
    :class:`StoreConnectError` for a server that cannot be reached.
    """
    from crawler.storage.store import DEFAULT_BUSY_TIMEOUT, ArticleStore

    busy_timeout = settings.getfloat("NEWS_STORE_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT)
    url = settings.get("NEWS_STORE_URL")
    if url:
        from crawler.storage.postgres import PostgresStore, default_journal_path

        journal = settings.get("NEWS_STORE_JOURNAL_PATH") or default_journal_path(url)
        return PostgresStore(url, busy_timeout=busy_timeout, journal_path=journal, read_only=read_only)
    path = settings.get("NEWS_STORE_PATH")
    if not path:
        return None
    return ArticleStore(path, busy_timeout, read_only=read_only)
