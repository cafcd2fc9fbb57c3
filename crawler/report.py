"""The crawl report: one readable summary at the end of every crawl.

Scrapy's stats dump is complete but long; this is the part a person reads
first.  Everything in it comes from the crawl stats (field coverage is
counted here, on ``item_scraped``), so the same numbers are in the dump
and in any stats collector that stores them.
"""

from __future__ import annotations

import logging
from dataclasses import fields
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.items import Article, is_empty

logger = logging.getLogger(__name__)

REPORTED_FIELDS = tuple(
    field.name for field in fields(Article) if field.name not in ("url", "fetched_at", "validation_messages")
)


class CrawlReport:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReport:
        report = cls(crawler.stats)
        crawler.signals.connect(report.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(report.spider_closed, signal=signals.spider_closed)
        return report

    def item_scraped(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        for name in REPORTED_FIELDS:
            if not is_empty(adapter.get(name)):
                self.stats.inc_value(f"coverage/{name}")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.stats.get_stats()
        log = logger.error if crawl_failures(stats) else logger.info
        log("%s", render_report(spider.name, reason, stats))


def crawl_failures(stats: dict[str, Any]) -> list[str]:
    """Why a finished crawl did not do its job, one phrase a cause; empty when it did.

    The crawl commands turn any of these into a non-zero exit status, and the
    report puts them on its first line: a crawl that lost articles must not
    look like one that went well to a cron job or a person skimming the log.
    """
    failures = []
    lost = stats.get("store/lost", 0)
    if lost:
        failures.append(f"{lost} article{'s' if lost != 1 else ''} lost (neither the store nor its pending file took them)")
    return failures


def _with_prefix(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {key[len(prefix):]: value for key, value in sorted(stats.items()) if key.startswith(prefix)}


def _listing(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items()) or "none"


def render_report(site: str, reason: str, stats: dict[str, Any]) -> str:
    value = stats.get
    scraped = value("item_scraped_count", 0)
    coverage = _with_prefix(stats, "coverage/")
    failures = crawl_failures(stats)
    lines = [
        f"Crawl report: {site} ({reason})" + (f": FAILED, {'; '.join(failures)}" if failures else ""),
        f"  pages seen         {value('response_received_count', 0)}"
        f" (HTTP errors ignored: {value('httperror/response_ignored_count', 0)},"
        f" not stored in replay: {value('replay/miss', 0)})",
        f"  listings and feeds {value('news/listing_pages', 0)}",
        f"  articles kept      {scraped}",
        f"  store              new {value('store/new', 0)}, updated {value('store/updated', 0)},"
        f" unchanged {value('store/unchanged', 0)}"
        + "".join(f", {name} {value(f'store/{name}')}" for name in ("deferred", "spilled", "lost") if value(f"store/{name}")),
        f"  duplicates linked  {value('dedupe/linked', 0)}",
        f"  skipped            already stored {value('news/skipped/already_stored', 0)},"
        f" out of range {value('news/skipped/out_of_range', 0)}, not text {value('news/skipped/not_text', 0)}",
        f"  download failures  {_listing(_with_prefix(stats, 'news/download_failed/'))}",
        f"  unreadable pages   {_listing(_with_prefix(stats, 'news/dropped/'))}"
        f" (charset header corrected: {value('news/charset_corrected', 0)},"
        f" mojibake as published: {value('news/mojibake', 0)})",
        f"  dropped            {_listing(_with_prefix(stats, 'item_dropped_reasons/'))}",
        f"  validation notes   {_listing(_with_prefix(stats, 'validation/'))}",
        f"  generic fallbacks  {_listing(_with_prefix(stats, 'extract/generic_fallback/'))}",
        f"  disagreements      {_listing(_with_prefix(stats, 'extract/disagreement/'))}",
        "  field coverage     "
        + (", ".join(f"{name} {coverage.get(name, 0)}/{scraped}" for name in REPORTED_FIELDS) if scraped else "no items"),
    ]
    return "\n".join(lines)
