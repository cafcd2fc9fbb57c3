"""Feed files that survive a full disk: the crawl goes on, the store keeps every item, the log says so once.

Scrapy's file storage lets a write error (``ENOSPC`` on a full disk, ``EFBIG``
past a file-size limit) escape from every ``item_scraped`` signal as a
traceback, a feed that cannot be opened (a folder that cannot be made) gives
one traceback per item, and at the end a feed cut short is an "Error storing
... feed" traceback.  Here the first failure, opening or writing, is one
ERROR line naming the feed and the cause, counted as
``feedexport/write_failed``; later items are not written (a feed with a hole
in the middle is worse than one cut short).  At the end the storage reports
the feed as not stored, so Scrapy counts it under its own
``feedexport/failed_count/<storage>``, and its "Error storing" traceback for
that feed is left out of the log: the one line has said it all.  The items
still go to the article store, which the store pipeline writes before the
feed sees them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import IO, Any

from scrapy import Spider
from scrapy.extensions.feedexport import FileFeedStorage, StdoutFeedStorage
from scrapy.utils.defer import Deferred

logger = logging.getLogger(__name__)

#: Counted once per feed, at its first failed open or write (before the crawl ends, for the report).
WRITE_FAILED_STAT = "feedexport/write_failed"


class FeedIncomplete(OSError):
    """Raised at the end of a crawl for a feed some items could not be written to."""


class _AlreadyLogged(logging.Filter):
    """Drops Scrapy's "Error storing ... feed" record, traceback and all, for a feed that already said why.

    Scrapy logs any exception from a storage's ``store`` with its traceback;
    for :class:`FeedIncomplete` the cause is already one ERROR line, logged
    when it happened.  Scrapy's count of failed feeds is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], FeedIncomplete))


_ALREADY_LOGGED = _AlreadyLogged()


class GuardedFile:
    """A feed file whose write errors are caught and remembered, not raised."""

    def __init__(self, file: IO[bytes], uri: str, on_error: Callable[[str, OSError], None]) -> None:
        self.file = file
        self.uri = uri
        self.on_error = on_error
        self.error: OSError | None = None

    def write(self, data: bytes) -> int:
        if self.error is None:
            try:
                return self.file.write(data)
            except OSError as error:
                self.failed("writing failed", error)
        return len(data)

    def flush(self) -> None:
        """Flushed by a text wrapper around the file (the CSV exporter's) as it lets go: a full disk shows here too."""
        if self.error is None:
            try:
                self.file.flush()
            except OSError as error:
                self.failed("writing failed", error)

    def close(self) -> None:
        try:
            self.file.close()  # flushes what is buffered: a full disk may show only now
        except OSError as error:
            if self.error is None:
                self.failed("writing failed", error)

    def failed(self, what: str, error: OSError) -> None:
        """The first failure: remembered, so nothing more is written, and reported once."""
        self.error = error
        self.on_error(what, error)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.file, name)


class _Guarded:
    """What both guarded storages share: the one ERROR line and its count, and the end-of-crawl verdict."""

    uri: str
    stats: Any = None
    store_path: str = ""

    def _watch(self, spider: Spider) -> None:
        self.stats = spider.crawler.stats
        self.store_path = spider.crawler.settings.get("NEWS_STORE_PATH") or ""
        logging.getLogger("scrapy.extensions.feedexport").addFilter(_ALREADY_LOGGED)  # once: addFilter is idempotent

    def _failed(self, what: str, error: OSError) -> None:
        # Where the articles are instead; whether the store took them is its own count (store/lost) and line.
        kept = f"articles still go to the store {self.store_path}" if self.store_path else "no article store is set"
        logger.error("Feed %s: %s (%s); nothing more is written to it, %s", self.uri, what, error, kept)
        if self.stats is not None:
            self.stats.inc_value(WRITE_FAILED_STAT)

    def _verdict(self, file: IO[bytes]) -> None:
        error = getattr(file, "error", None)
        if error is not None:
            raise FeedIncomplete(f"{self.uri} is incomplete: {error}")


class GuardedFileFeedStorage(_Guarded, FileFeedStorage):
    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.uri = uri

    def open(self, spider: Spider) -> IO[bytes]:
        self._watch(spider)
        try:
            return GuardedFile(super().open(spider), self.uri, self._failed)  # type: ignore[return-value]
        except OSError as error:
            # Exporters want a real file to wrap: the null device, whose writes are never made.
            guarded = GuardedFile(open(os.devnull, "wb"), self.uri, self._failed)  # noqa: SIM115 - closed by store()
            guarded.failed("cannot be opened", error)
            return guarded  # type: ignore[return-value]

    def store(self, file: IO[bytes]) -> Deferred[None] | None:
        file.close()
        self._verdict(file)
        return None


class GuardedStdoutFeedStorage(_Guarded, StdoutFeedStorage):
    """``-o -:jsonl`` to a full disk or a closed pipe: the same one line as a file, not a traceback per item."""

    def __init__(
        self, uri: str, _stdout: IO[bytes] | None = None, *, feed_options: dict[str, Any] | None = None
    ) -> None:
        super().__init__(uri, _stdout, feed_options=feed_options)
        self.uri = "stdout"

    def open(self, spider: Spider) -> IO[bytes]:
        self._watch(spider)
        return GuardedFile(super().open(spider), self.uri, self._failed)  # type: ignore[return-value]

    def store(self, file: IO[bytes]) -> Deferred[None] | None:
        file.flush()  # stdout is the process's to close, not the feed's
        self._verdict(file)
        return None
