"""The crawl report as files, with ``-s NEWS_REPORT_DIR=reports`` (or ``--report reports``): JSON and HTML.

Off unless ``NEWS_REPORT_DIR`` is set.  While the crawl runs it counts pages
received per time bucket (:class:`~crawler.reporting.timeline.PagesTimeline`,
bounded memory), for the report's pages/s line.  When the engine stops (after
the spider closed, its pipelines and feeds are done and its stats final) it
writes ``NEWS_REPORT_DIR/<crawl id>/report.json`` and ``report.html`` from the
crawl's stats and logs where.

``scrapy crawlall`` runs several crawls in one process and wants one report
of every site: it sets ``NEWS_REPORT_PER_CRAWL`` to false, and then this
extension only keeps its timeline, which the command reads
(:func:`report_extension`) to write the one report once every crawl has ended.

A report that cannot be written (a read-only folder, a full disk) is one
logged error; the crawl's articles and its exit status do not depend on it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.reporting.document import HTML_NAME, ReportError, crawl_document, site_section, write_report
from crawler.reporting.timeline import PagesTimeline

logger = logging.getLogger(__name__)


class CrawlReportFiles:
    """The extension: a pages timeline during the crawl, the report's two files at its end."""

    def __init__(self, crawler: Crawler, report_dir: str, per_crawl: bool) -> None:
        self.crawler = crawler
        self.report_dir = report_dir
        self.per_crawl = per_crawl
        self.timeline = PagesTimeline()
        self.opened: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReportFiles:
        report_dir = crawler.settings.get("NEWS_REPORT_DIR") or ""
        if not report_dir:
            raise NotConfigured("NEWS_REPORT_DIR is not set: the report is in the log only")
        extension = cls(crawler, str(report_dir), crawler.settings.getbool("NEWS_REPORT_PER_CRAWL", True))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_opened(self) -> None:
        self.opened = time.monotonic()

    def response_received(self) -> None:
        if self.opened is None:
            self.opened = time.monotonic()
        self.timeline.add(time.monotonic() - self.opened)

    def engine_stopped(self) -> None:
        if self.per_crawl:
            write_crawl_report(self.report_dir, "crawl", [self.crawler])

    def site(self) -> dict[str, Any]:
        """This crawl's section of a report: its stats and its timeline."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        return site_section(_site_name(self.crawler), stats, self.timeline.as_json())


def report_extension(crawler: Crawler) -> CrawlReportFiles | None:
    """The crawler's report extension, when it has one (``NEWS_REPORT_DIR`` set)."""
    manager = getattr(crawler, "extensions", None)
    for extension in getattr(manager, "middlewares", ()):
        if isinstance(extension, CrawlReportFiles):
            return extension
    return None


def write_crawl_report(report_dir: str, command: str, crawlers: list[Crawler]) -> str | None:
    """One report folder for these finished crawls (one section a site); the page's path, ``None`` if not written."""
    sections = []
    for crawler in crawlers:
        extension = report_extension(crawler)
        if extension is not None:
            sections.append(extension.site())
        else:
            stats = crawler.stats.get_stats() if crawler.stats is not None else {}
            sections.append(site_section(_site_name(crawler), stats))
    try:
        folder = write_report(report_dir, crawl_document(command, sections))
    except (OSError, ReportError) as error:
        logger.error("The crawl report could not be written to %s: %s", report_dir, error)
        return None
    page = str(folder / HTML_NAME)
    logger.info("Crawl report written: %s (and report.json beside it)", page)
    return page


def _site_name(crawler: Crawler) -> str:
    return crawler.spider.name if crawler.spider is not None else str(crawler.spidercls.name)
