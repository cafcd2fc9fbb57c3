"""``scrapy crawlall``: every site's spider in one process, each to its own feed (and the one store).

Its ``-a`` arguments go to every spider and are checked before anything
starts, as ``scrapy crawl`` checks them: a bad value is one line and exit
status 2.  Each site's crawl ends with its own report in the log; once all
have ended, one summary table of every site (pages, articles kept, stored
new/updated/unchanged, skipped, download failures, status) is printed to
stderr, after the log and without its timestamps, so that it is the last
thing on the screen.  A line per failed site follows it, and the exit status
is 1 if any site failed (:func:`crawler.extensions.report.crawl_failures`).

With ``--report DIR`` (or ``-s NEWS_REPORT_DIR=DIR``) one report folder is
written for all the sites, ``DIR/<time>-crawlall/`` (crawler/extensions/report_files.py):
each crawl's extension only keeps its pages timeline, and the report is written
here, once every crawl has ended, before the summary table.

Four crawls in one process would log Scrapy's setup (the enabled components,
the overridden settings) four times over, identically; each such message is
logged once here.
"""

from __future__ import annotations

import argparse
import logging
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.conf import arglist_to_dict

from crawler.commands.crawl import (
    check_spider_arguments,
    check_store_reachable,
    crawl_stats,
    report_failures,
    site_of,
)
from crawler.commands.report import add_report_option, apply_report_option
from crawler.commands.usage import OneLineUsage
from crawler.crawling.sites import news_spiders
from crawler.extensions.report import render_summary
from crawler.extensions.report_files import write_crawl_report

#: The loggers of the per-crawl setup messages (Scrapy's, and replay's page count), alike for every spider.
SETUP_LOGGERS = ("scrapy.addons", "scrapy.crawler", "scrapy.middleware", "crawler.downloader.replay")


class OnceOnly(logging.Filter):
    """Lets each distinct message through once: the setup every crawl of the process logs alike."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message in self.seen:
            return False
        self.seen.add(message)
        return True


class Command(OneLineUsage, ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[-a NAME=VALUE ...] [--output-dir DIR] [--report DIR]"

    def short_desc(self) -> str:
        return "Run every news spider in one process; feeds go to DIR/<spider>.jsonl"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-a",
            dest="spargs",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="spider argument for every spider (may be repeated)",
        )
        parser.add_argument(
            "--output-dir", default="crawl-output", metavar="DIR", help="where the feeds go (default: crawl-output)"
        )
        add_report_option(parser)

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if args:
            raise UsageError(f"crawlall takes no spider names, it crawls every site (given: {' '.join(args)})")
        try:
            opts.spargs = arglist_to_dict(opts.spargs)
        except ValueError:
            raise UsageError("invalid -a value, use -a NAME=VALUE", print_help=False) from None
        assert self.settings is not None
        check_spider_arguments("crawlall", news_spiders(self.settings.getlist("SPIDER_MODULES")).values(), opts.spargs)
        check_store_reachable("crawlall", self.settings)
        feed = f"{opts.output_dir.rstrip('/')}/%(name)s.jsonl"
        self.settings.set("FEEDS", {feed: {"format": "jsonlines", "overwrite": True}}, priority="cmdline")
        apply_report_option(self.settings, opts)
        # One report of every site, written below once all have ended, not one folder per crawl.
        self.settings.set("NEWS_REPORT_PER_CRAWL", False, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None
        once = OnceOnly()
        for name in SETUP_LOGGERS:
            logging.getLogger(name).addFilter(once)
        try:
            assert self.settings is not None
            names = sorted(news_spiders(self.settings.getlist("SPIDER_MODULES")))
            crawlers = [self.crawler_process.create_crawler(name) for name in names]
            for crawler in crawlers:
                self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
        finally:
            for name in SETUP_LOGGERS:
                logging.getLogger(name).removeFilter(once)
        report_dir = self.settings.get("NEWS_REPORT_DIR")
        if report_dir:
            write_crawl_report(str(report_dir), "crawlall", crawlers)
        print(render_summary({site_of(crawler): crawl_stats(crawler) for crawler in crawlers}), file=sys.stderr)
        if self.crawler_process.bootstrap_failed or report_failures("crawlall", crawlers):
            self.exitcode = 1
