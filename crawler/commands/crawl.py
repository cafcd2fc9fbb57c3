"""``scrapy crawl``: Scrapy's own command, with an exit status that says whether the crawl did its job.

Scrapy exits 0 whenever its spider ran, even when every article it found was
lost on the way to the store or no page could be fetched at all.  Here:

- a bad ``-a`` value (``-a date=2021-13-45``, ``-a refresh=maybe``) is one
  line on stderr and exit status 2, before the crawl starts; an ``-a`` name
  the spider does not read is a one-line warning, and the crawl goes on;
- a crawl whose report names a failure (:func:`crawler.extensions.report.crawl_failures`:
  articles lost, a spider error, no start page fetched) exits 1, and its last
  line on stderr says why;
- a crawl that ran and kept no article exits 0, and its last line on stderr
  says why (:func:`crawler.extensions.report.nothing_kept`): already stored, out of range...
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader

from crawler.commands.report import add_report_option, apply_report_option
from crawler.commands.usage import OneLineUsage
from crawler.crawling.spiders import NewsSpider, SpiderArgumentError
from crawler.extensions.report import crawl_failures, nothing_kept
from crawler.storage.backend import StoreError, open_store


def check_spider_arguments(command: str, spider_classes: Iterable[type], arguments: Mapping[str, str]) -> None:
    """Exit 2 with one stderr line for a ``-a`` value a spider cannot use; a warning line per name none reads.

    Called from ``process_options``, before Scrapy's CrawlerProcess exists: the
    error is then the only thing on stderr.  Raised later, in the spider's
    ``__init__``, it would come inside an asyncio traceback ("Task exception
    was never retrieved"), and ``crawlall`` would print it once per spider.
    """
    warnings: dict[str, None] = {}  # in order, each once: crawlall checks every spider against the same -a
    for spider_class in spider_classes:
        if not issubclass(spider_class, NewsSpider):
            continue  # a spider of another kind reads its arguments its own way
        try:
            warnings.update(dict.fromkeys(spider_class.check_arguments(arguments)))
        except SpiderArgumentError as error:
            print(f"{command}: {error}", file=sys.stderr)
            raise SystemExit(2) from None
    for warning in warnings:
        print(f"{command}: warning: {warning}", file=sys.stderr)


def check_store_reachable(command: str, settings: BaseSettings) -> None:
    """A shared store (``NEWS_STORE_URL``) that cannot be reached is one line and exit 1, before Scrapy starts.

    Found later, it would be a traceback from the store stage's construction, once per crawl.  A server
    that goes away mid-crawl is the store stage's business: its items go to the journal.
    """
    if not settings.get("NEWS_STORE_URL"):
        return
    try:
        store = open_store(settings)
    except StoreError as error:  # its message masks the password
        print(f"{command}: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    if store is not None:
        store.close()


def crawl_stats(crawler: Crawler) -> dict[str, Any]:
    return crawler.stats.get_stats() if crawler.stats is not None else {}


def site_of(crawler: Crawler) -> str:
    return crawler.spider.name if crawler.spider is not None else str(crawler.spidercls.name)


def failed_crawls(crawlers: Iterable[Crawler]) -> dict[str, list[str]]:
    """What went wrong in each finished crawl that did not do its job, by spider name."""
    failed = {}
    for crawler in crawlers:
        failures = crawl_failures(crawl_stats(crawler))
        if failures:
            failed[site_of(crawler)] = failures
    return failed


def report_failures(command: str, crawlers: Iterable[Crawler]) -> bool:
    """One stderr line per failed crawl; whether there was any."""
    failed = failed_crawls(crawlers)
    for name, failures in failed.items():
        print(f"{command}: {name} failed: {'; '.join(failures)}", file=sys.stderr)
    return bool(failed)


def report_nothing_kept(command: str, crawler: Crawler) -> None:
    """The last stderr line of a crawl that kept no article: why, from the report's notes.

    The report says it too, but above Scrapy's long stats dump; an empty feed
    should be explained where a person looks first, the last line.
    """
    why = nothing_kept(crawl_stats(crawler))
    if why:
        print(f"{command}: {site_of(crawler)}: {why}", file=sys.stderr)


class Command(OneLineUsage, ScrapyCrawlCommand):
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_report_option(parser)

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        # Checked before Scrapy starts (and logs its start-up lines): a mistake is one line.
        super().process_options(args, opts)
        apply_report_option(self.settings, opts)
        if len(args) != 1:
            raise UsageError("give one spider name" if not args else "scrapy crawl runs one spider at a time")
        assert self.settings is not None
        spider_class = _spider_class(self.settings, args[0])
        if spider_class is None:
            known = ", ".join(sorted(get_spider_loader(self.settings).list()))
            raise UsageError(f"no spider named {args[0]!r}; the spiders are: {known}", print_help=False)
        check_spider_arguments("crawl", [spider_class], opts.spargs)
        check_store_reachable("crawl", self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or report_failures("crawl", [crawler]):
            self.exitcode = 1
        else:
            report_nothing_kept("crawl", crawler)


def _spider_class(settings: BaseSettings, name: str) -> type | None:
    """The spider class of that name; ``None`` when there is none."""
    try:
        return get_spider_loader(settings).load(name)
    except KeyError:
        return None
