"""One crawl's WARC files: ``<archive>/<crawl id>-00000.warc.gz``, the next number once one passes the size limit.

Each page's records go out in one write and are flushed at once: a crawl
killed at any moment leaves every completed record readable, and at worst one
torn record at the end of the last file, which the reader skips with a
counted warning.  A failed write (a full disk, a folder gone) must not stop
the crawl: the first is one ERROR line, every one is counted
(``archive/write_failed``), the file is given up and the next page starts a
new numbered file, so a torn record is always the last of its file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import BinaryIO

from crawler.archiving.records import FetchedPage, page_records

logger = logging.getLogger(__name__)

#: Bytes after which the next page goes to a new file (``NEWS_ARCHIVE_MAX_BYTES``): 1 GB, the usual WARC size.
DEFAULT_MAX_BYTES = 1_000_000_000


class ArchiveWriter:
    """Writes pages to ``folder/<name>-NNNNN.warc.gz``; :meth:`write` answers whether the page was archived."""

    def __init__(self, folder: str | Path, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = Path(folder)
        self.name = name
        self.max_bytes = max_bytes
        self.number = -1
        self.file: BinaryIO | None = None
        self.paths: list[Path] = []
        self.written = 0
        self.failed = 0

    def write(self, page: FetchedPage) -> bool:
        try:
            data = page_records(page)
            if self.file is None or self.file.tell() >= self.max_bytes:
                self._next_file()
            assert self.file is not None
            self.file.write(data)
            self.file.flush()
        except (OSError, ValueError) as error:  # a full disk; a header no WARC can hold
            self._failed(page.url, error)
            return False
        self.written += 1
        return True

    def close(self) -> None:
        if self.file is not None:
            try:
                self.file.close()
            except OSError as error:  # the last flush of a full disk
                logger.error("Could not close the archive file %s: %s", self.paths[-1], error.strerror or error)
            self.file = None

    def _next_file(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            self.number += 1
            path = self.folder / f"{self.name}-{self.number:05d}.warc.gz"
            try:
                self.file = path.open("xb")  # never appends to another crawl's file of the same name
            except FileExistsError:
                continue
            self.paths.append(path)
            return

    def _failed(self, url: str, error: OSError | ValueError) -> None:
        self.failed += 1
        if self.failed == 1:
            where = self.paths[-1] if self.paths else self.folder
            logger.error("Could not archive %s in %s: %s; the crawl goes on (archive/write_failed counts the pages "
                         "not archived)", url, where, getattr(error, "strerror", None) or error)  # fmt: skip
        try:
            self.close()
        except Exception:  # noqa: BLE001 - already failing; the next page opens a new file
            self.file = None
        self.file = None
