"""The crawl report: one readable summary at the end of every crawl.

Scrapy's stats dump is complete but long; this is the part a person reads
first.  Everything in it comes from the crawl stats (field coverage is
counted here, on ``item_scraped``), so the same numbers are in the dump
and in any stats collector that stores them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.items import field_names, is_empty

logger = logging.getLogger(__name__)

REPORTED_FIELDS = field_names(coverage=True)


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
    report puts them on its first line, so the two always agree: a crawl that
    failed must not look like one that went well to a cron job or a person
    skimming the log.  The causes:

    - articles lost: neither the store nor its journal took them;
    - spider errors: an exception in a callback or errback, a bug that may
      have cost any number of articles (``spider_exceptions/<type>``);
    - no start page could be had: every one failed to download or was
      refused by robots.txt (no network, a wrong host, a site that moved);
    - a feed (``-o``/``-O``) not written in full: the articles are in the
      store, but the file asked for is not what it should be
      (``feedexport/write_failed``, counted by crawler/feeds/storage.py).

    A crawl that ran and found nothing new is no failure: :func:`crawl_notes`
    says why it kept nothing.
    """
    failures = []
    lost = stats.get("store/lost", 0)
    if lost:
        failures.append(
            f"{lost} article{'s' if lost != 1 else ''} lost (neither the store nor its pending file took them)"
        )
    errors = {name: count for name, count in _with_prefix(stats, "spider_exceptions/").items() if name != "count"}
    if errors:
        total = sum(errors.values())
        failures.append(f"{total} spider error{'s' if total != 1 else ''} ({_listing(errors)}; tracebacks in the log)")
    starts = stats.get("news/start_pages", 0)
    if starts and stats.get("news/start_pages_failed", 0) >= starts:
        why = _with_prefix(stats, "news/download_failed/")
        if stats.get("robotstxt/forbidden"):
            why["forbidden by robots.txt"] = stats["robotstxt/forbidden"]
        failures.append(f"no start page could be fetched ({_listing(why)})")
    feeds = stats.get("feedexport/write_failed", 0)
    if feeds:
        failures.append(
            f"{feeds} feed{'s' if feeds != 1 else ''} not written in full (articles the store took are in it)"
        )
    return failures


def crawl_notes(stats: dict[str, Any]) -> list[str]:
    """What a person must know before the figures: articles the crawl chose not to fetch, and why it kept none.

    They come right after the report's first line.  An incremental crawl that
    skipped stored articles writes fewer items (none, the second time) than a
    reader of its feed expects; saying so, with the way round it, is what
    keeps an empty feed from looking like a broken crawler.
    """
    notes = []
    stored = stats.get("news/skipped/already_stored", 0)
    if stored:
        notes.append(f"{_articles(stored)} already stored {'were' if stored != 1 else 'was'} not fetched again;"
                     " -a refresh=1 fetches them")  # fmt: skip
    empty = nothing_kept(stats)
    if empty:
        notes.append(empty)
    return notes


def nothing_kept(stats: dict[str, Any]) -> str | None:
    """Why a crawl that did not fail kept no article (``no articles kept: ...``); ``None`` if it kept some or failed."""
    if stats.get("item_scraped_count") or crawl_failures(stats):
        return None
    return f"no articles kept: {_why_nothing_kept(stats)}"


def _articles(count: int) -> str:
    return f"{count} article{'s' if count != 1 else ''}"


def _why_nothing_kept(stats: dict[str, Any]) -> str:
    value = stats.get
    dropped = _with_prefix(stats, "item_dropped_reasons/")
    unreadable = sum(_with_prefix(stats, "news/dropped/").values())
    failed = _with_prefix(stats, "news/download_failed/")
    reasons = [
        f"{value('news/skipped/already_stored')} already stored (-a refresh=1 fetches them)"
        if value("news/skipped/already_stored")
        else "",
        f"{value('news/skipped/out_of_range')} outside -a since/until" if value("news/skipped/out_of_range") else "",
        f"{sum(dropped.values())} dropped ({_listing(dropped)})" if dropped else "",
        f"{unreadable} unreadable" if unreadable else "",
        f"{sum(failed.values())} pages not fetched ({_listing(failed)})" if failed else "",
    ]
    if any(reasons):
        return ", ".join(reason for reason in reasons if reason)
    if value("news/listing_pages"):
        return "the listings and feeds read linked to no article"
    return "no page was read"


def crawl_status(stats: dict[str, Any]) -> str:
    """One word or phrase for a summary table: ``FAILED: ...``, ``nothing kept`` or ``ok``."""
    failures = crawl_failures(stats)
    if failures:
        return "FAILED: " + "; ".join(failures)
    return "ok" if stats.get("item_scraped_count") else "nothing kept"


#: The summary table's columns: heading, and the value from a crawl's stats.
SUMMARY_COLUMNS: tuple[tuple[str, Callable[[dict[str, Any]], object]], ...] = (
    ("pages", lambda stats: stats.get("response_received_count", 0)),
    ("kept", lambda stats: stats.get("item_scraped_count", 0)),
    ("new/updated/unchanged", lambda stats: "/".join(str(stats.get(f"store/{name}", 0))
                                                     for name in ("new", "updated", "unchanged"))),
    ("skipped", lambda stats: sum(stats.get(f"news/skipped/{name}", 0)
                                  for name in ("already_stored", "out_of_range", "not_text"))),
    ("failures", lambda stats: sum(_with_prefix(stats, "news/download_failed/").values())),
)  # fmt: skip


def render_summary(crawls: dict[str, dict[str, Any]]) -> str:
    """One table for several crawls (``scrapy crawlall``), a row a site: the per-site reports, at a glance."""
    rows = [["site", *(heading for heading, _ in SUMMARY_COLUMNS), "status"]]
    for site, stats in sorted(crawls.items()):
        rows.append([site, *(str(column(stats)) for _, column in SUMMARY_COLUMNS), crawl_status(stats)])
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]) - 1)]
    failed = sum(1 for stats in crawls.values() if crawl_failures(stats))
    lines = [f"Crawl summary: {len(crawls)} site{'s' if len(crawls) != 1 else ''}, {failed} failed"]
    for row in rows:
        cells = [
            row[0].ljust(widths[0]),
            *(cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:], strict=False)),
        ]
        lines.append("  " + "  ".join([*cells, row[-1]]))
    return "\n".join(lines)


def _with_prefix(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {key[len(prefix) :]: value for key, value in sorted(stats.items()) if key.startswith(prefix)}


def _listing(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items()) or "none"


def render_report(site: str, reason: str, stats: dict[str, Any]) -> str:
    value = stats.get
    scraped = value("item_scraped_count", 0)
    coverage = _with_prefix(stats, "coverage/")
    failures = crawl_failures(stats)
    lines = [
        f"Crawl report: {site} ({reason})" + (f": FAILED, {'; '.join(failures)}" if failures else ""),
        *(f"  {note}" for note in crawl_notes(stats)),
        f"  pages seen         {value('response_received_count', 0)}"
        f" (HTTP errors ignored: {value('httperror/response_ignored_count', 0)},"
        f" not stored in replay: {value('replay/miss', 0)})",
        f"  listings and feeds {value('news/listing_pages', 0)}",
        f"  articles kept      {scraped}",
        f"  store              new {value('store/new', 0)}, updated {value('store/updated', 0)},"
        f" unchanged {value('store/unchanged', 0)}"
        + "".join(
            f", {name} {value(f'store/{name}')}" for name in ("deferred", "spilled", "lost") if value(f"store/{name}")
        ),
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
        + (
            ", ".join(f"{name} {coverage.get(name, 0)}/{scraped}" for name in REPORTED_FIELDS)
            if scraped
            else "no items"
        ),
    ]
    return "\n".join(lines)
