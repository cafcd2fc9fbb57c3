"""With ``-s NEWS_ARCHIVE_DIR=archive``: every article page the crawl fetched, kept as WARC records.

The spider announces each article page (``crawler.crawling.signals.article_page_received``)
before it extracts it; this extension writes the page's request and response
records to ``NEWS_ARCHIVE_DIR/<crawl id>-00000.warc.gz`` (the crawl id of the
report, ``2021-10-18T07-40-12Z-almayadeen``), a new numbered file past
``NEWS_ARCHIVE_MAX_BYTES``.  ``scrapy reextract`` reads them back.

Only article pages: they are what a changed rule is run over again; listings
and feeds are cheap to fetch again and say nothing about extraction.  A page
that could not be archived is counted (``archive/write_failed``) and the crawl
goes on; ``archive/pages`` counts those kept.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response

from crawler.archiving.records import FetchedPage
from crawler.archiving.writer import DEFAULT_MAX_BYTES, ArchiveWriter
from crawler.crawling.signals import article_page_received
from crawler.reporting.document import crawl_id

logger = logging.getLogger(__name__)


def header_pairs(headers: Headers) -> list[tuple[str, str]]:
    """Scrapy's headers (bytes, several values a name) as the (name, value) text pairs WARC headers are."""
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, values in headers.items() for value in values]


def fetched_page(response: Response) -> FetchedPage:
    request = response.request
    return FetchedPage(
        url=response.url,
        method=request.method if request is not None else "GET",
        request_headers=header_pairs(request.headers) if request is not None else [],
        status=response.status,
        response_headers=header_pairs(response.headers),
        body=response.body,
        fetched_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


class WarcArchive:
    def __init__(self, crawler: Crawler, folder: str, max_bytes: int) -> None:
        self.crawler = crawler
        self.folder = folder
        self.max_bytes = max_bytes
        self.writer: ArchiveWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchive:
        folder = crawler.settings.get("NEWS_ARCHIVE_DIR") or ""
        if not folder:
            raise NotConfigured("NEWS_ARCHIVE_DIR is not set: no pages are archived")
        max_bytes = crawler.settings.getint("NEWS_ARCHIVE_MAX_BYTES", DEFAULT_MAX_BYTES)
        extension = cls(crawler, str(folder), max_bytes)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.article_page, signal=article_page_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        name = self.crawler.spider.name if self.crawler.spider is not None else "crawl"
        self.writer = ArchiveWriter(self.folder, crawl_id(datetime.now(UTC), name), self.max_bytes)

    def article_page(self, response: Response) -> None:
        if self.writer is None:
            return
        key = "archive/pages" if self.writer.write(fetched_page(response)) else "archive/write_failed"
        self.crawler.stats.inc_value(key)

    def spider_closed(self) -> None:
        if self.writer is None:
            return
        self.writer.close()
        if self.writer.paths:
            logger.info("Archived %d article pages in %s", self.writer.written, ", ".join(map(str, self.writer.paths)))
        self.crawler.stats.set_value("archive/files", len(self.writer.paths))
