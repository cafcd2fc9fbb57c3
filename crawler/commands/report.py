"""``scrapy report DIR``: draw a crawl's ``report.html`` again from its ``report.json``, and print the page's path.

``DIR`` is a crawl's report folder (``reports/2026-12-05T07-40-12Z-almayadeen``),
its ``report.json``, or the folder of crawl reports itself (``reports``: the
latest crawl, the ids sort by time).  The page is rendered by this version of
newsframe from the JSON alone, so a report mailed without its page, or written
by an older version, can be opened again.

A missing folder or one with no ``report.json`` is one line on stderr and exit
status 2; a ``report.json`` that is not valid JSON or not a crawl report is one
line and exit status 1.  Never a traceback.

Also here: ``--report DIR`` for ``scrapy crawl`` and ``scrapy crawlall``, the
short way to say ``-s NEWS_REPORT_DIR=DIR``.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import Settings

from crawler.commands.usage import OneLineUsage
from crawler.reporting.document import ReportError, find_report, read_report, write_html
from crawler.reporting.html import render_html


def add_report_option(parser: argparse.ArgumentParser) -> None:
    """``--report DIR`` on a crawl command."""
    parser.add_argument(
        "--report",
        metavar="DIR",
        help="write report.json and report.html to DIR/<crawl id>/ at the end (as -s NEWS_REPORT_DIR=DIR)",
    )


def apply_report_option(settings: Settings | None, opts: argparse.Namespace) -> None:
    """``--report DIR`` given: it is ``NEWS_REPORT_DIR`` for this run, as ``-s`` would set it."""
    if settings is not None and getattr(opts, "report", None):
        settings.set("NEWS_REPORT_DIR", opts.report, priority="cmdline")


class Command(OneLineUsage, ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "DIR"

    def short_desc(self) -> str:
        return "Draw a crawl's report.html again from its report.json (DIR: the crawl's report folder)"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            raise UsageError("give one report folder (NEWS_REPORT_DIR/<crawl id>)", print_help=False)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            folder = find_report(args[0])
            document = read_report(folder)
            page = write_html(folder, render_html(document))
        except ReportError as error:
            print(f"report: {error}", file=sys.stderr)
            self.exitcode = error.status
            return
        except (OSError, ValueError, TypeError, AttributeError, KeyError) as error:
            # A report.json edited by hand into shapes the page cannot draw, or a folder that cannot be written.
            print(f"report: cannot draw {args[0]} ({type(error).__name__}: {error})", file=sys.stderr)
            self.exitcode = 1
            return
        print(page)
