"""Feed files that survive a full disk: the crawl goes on, the store keeps every item, the log says so.

Scrapy's file storage lets a write error (``ENOSPC`` on a full disk, ``EFBIG``
past a file-size limit) escape from every ``item_scraped`` signal as a
traceback, and still reports the feed as stored at the end.  Here the first
failed write is one ERROR line and a count (``feedexport/write_failed``);
later items are not written (a feed with a hole in the middle is worse than
one cut short), and at the end the feed is reported as failed
(``feedexport/failed_count/...``) instead of stored.  The items themselves
are in the article store, which the store pipeline wrote before the feed
saw them.
"""

from __future__ import annotations

import logging
from typing import IO, Any

from scrapy import Spider
from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.utils.defer import Deferred

logger = logging.getLogger(__name__)


class FeedIncomplete(OSError):
    """Raised at the end of a crawl for a feed some items could not be written to."""


class GuardedFile:
    """A feed file whose write errors are caught and remembered, not raised."""

    def __init__(self, file: IO[bytes], uri: str, on_error: Any) -> None:
        self.file = file
        self.uri = uri
        self.on_error = on_error
        self.error: OSError | None = None

    def write(self, data: bytes) -> int:
        if self.error is None:
            try:
                return self.file.write(data)
            except OSError as error:
                self._failed(error)
        return len(data)

    def close(self) -> None:
        try:
            self.file.close()  # flushes what is buffered: a full disk may show only now
        except OSError as error:
            if self.error is None:
                self._failed(error)

    def _failed(self, error: OSError) -> None:
        self.error = error
        logger.error("Feed %s: writing failed (%s); nothing more is written to it, every item is in the store",
                     self.uri, error)  # fmt: skip
        self.on_error()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.file, name)


class GuardedFileFeedStorage(FileFeedStorage):
    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.uri = uri
        self.stats: Any = None

    def open(self, spider: Spider) -> IO[bytes]:
        self.stats = spider.crawler.stats
        return GuardedFile(super().open(spider), self.uri, self._count)  # type: ignore[return-value]

    def _count(self) -> None:
        if self.stats is not None:
            self.stats.inc_value("feedexport/write_failed")

    def store(self, file: IO[bytes]) -> Deferred[None] | None:
        file.close()
        error = getattr(file, "error", None)
        if error is not None:
            raise FeedIncomplete(f"{self.uri} is incomplete: {error}")
        return None
