"""``scrapy crawl``: Scrapy's own command, with an exit status that says whether the crawl did its job.

Scrapy exits 0 whenever its spider ran, even when every article it found was
lost on the way to the store.  Here a crawl whose report names a failure
(:func:`crawler.report.crawl_failures`) exits 1, with one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from crawler.report import crawl_failures


def failed_crawls(crawlers: Iterable[Crawler]) -> dict[str, list[str]]:
    """What went wrong in each finished crawl that did not do its job, by spider name."""
    failed = {}
    for crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats is not None else {}
        failures = crawl_failures(stats)
        if failures:
            name = crawler.spider.name if crawler.spider is not None else crawler.spidercls.name
            failed[name] = failures
    return failed


def report_failures(command: str, crawlers: Iterable[Crawler]) -> bool:
    """One stderr line per failed crawl; whether there was any."""
    failed = failed_crawls(crawlers)
    for name, failures in failed.items():
        print(f"{command}: {name} failed: {'; '.join(failures)}", file=sys.stderr)
    return bool(failed)


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name" if not args else "scrapy crawl runs one spider at a time")
        assert self.crawler_process is not None
        try:
            crawler = self._create_crawler(args[0])
        except KeyError:  # Scrapy's spider loader: "Spider not found"
            known = ", ".join(sorted(self.crawler_process.spider_loader.list()))
            raise UsageError(f"no spider named {args[0]!r}; the spiders are: {known}", print_help=False) from None
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or report_failures("crawl", [crawler]):
            self.exitcode = 1
