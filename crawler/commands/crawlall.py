"""``scrapy crawlall``: every site's spider in one process, each to its own feed (and the one store)."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.conf import arglist_to_dict

from crawler.commands.crawl import report_failures
from crawler.sites import news_spiders


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[-a NAME=VALUE ...] [--output-dir DIR]"

    def short_desc(self) -> str:
        return "Run every news spider in one process; feeds go to DIR/<spider>.jsonl"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                            help="spider argument for every spider (may be repeated)")
        parser.add_argument("--output-dir", default="crawl-output", metavar="DIR",
                            help="where the feeds go (default: crawl-output)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        try:
            opts.spargs = arglist_to_dict(opts.spargs)
        except ValueError:
            raise UsageError("invalid -a value, use -a NAME=VALUE", print_help=False) from None
        assert self.settings is not None
        feed = f"{opts.output_dir.rstrip('/')}/%(name)s.jsonl"
        self.settings.set("FEEDS", {feed: {"format": "jsonlines", "overwrite": True}}, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None
        crawlers = [self.crawler_process.create_crawler(name) for name in sorted(news_spiders())]
        for crawler in crawlers:
            self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or report_failures("crawlall", crawlers):
            self.exitcode = 1
