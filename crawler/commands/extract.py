"""``scrapy extract``: one page in, one Article out, as JSON on stdout.

With a file, the page is read from disk (a snapshot case's URL and encoding
come from its ``meta.json``); with a URL it is fetched through the project's
settings, so under ``SCRAPY_PROJECT=replay`` it comes from ``snapshots/``.
A URL (or ``--url``) of no known site is read with the generic rules, as
``extract(html, url)`` reads it.

Only the JSON goes to stdout and only warnings to stderr: the command logs at
WARNING unless ``-L``/``-s LOG_LEVEL`` says otherwise, so Scrapy's start-up
banner does not bury the one line a user may need to read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from crawler.commands.export import stdout_closed
from crawler.commands.usage import OneLineUsage
from crawler.crawling.sites import UnknownSiteError, rules_for_url, spider_for
from crawler.errors import UnreadablePage
from crawler.extraction import extract
from crawler.extraction.decoding import check_readable, decode_page
from crawler.rules import GENERIC_RULES
from crawler.tools.casefiles import CaseError, case_for_page, case_output, format_json
from crawler.tools.fetch import FetchError, FetchJob, fetch_pages, quiet_log

#: The command's own log level: warnings are what a user of one page needs to see.
QUIET_LOG_LEVEL = "WARNING"


class PageFileError(OSError):
    """A page path that is no readable file: said in one line, without the errno's noise."""


def read_page_file(path: Path) -> bytes:
    """The file's bytes; :class:`PageFileError` naming what is wrong (missing, a folder, unreadable)."""
    if path.is_dir():
        case = case_for_page(path)
        page = case.page_path if case is not None else None
        hint = f"give its page, {page}" if page else "give a page file (snapshots/<site>/<case>/page.html) or a URL"
        raise PageFileError(f"{path} is a directory: {hint}")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PageFileError(f"no such file: {path}") from None
    except OSError as error:
        raise PageFileError(f"cannot read {path}: {error.strerror or error}") from None


def extract_page(body: bytes, content_type: str | None, url: str, site: str | None, label: str) -> dict[str, Any]:
    """The Article of a page's bytes, decoded as the spider decodes them; ``label`` names it in notes."""
    check_readable(body)  # a PDF saved as page.html is an error to report, not an empty article
    text, _, notes = decode_page(body, content_type)
    for note in notes:
        print(f"extract: {label}: {note}", file=sys.stderr)
    return extract(text, url, site).to_dict()


class Command(OneLineUsage, ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[--spider NAME] [--url URL] PATH_OR_URL"

    def short_desc(self) -> str:
        return "Extract the article of one page (a file or a URL) and print it as JSON"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", metavar="NAME", help="site rules to use (default: from the URL's host; "
                            "'generic' for none)")  # fmt: skip
        parser.add_argument("--url", metavar="URL", help="the page's URL, for a file outside a snapshot case")
        parser.add_argument("-L", "--loglevel", metavar="LEVEL", default=None,
                            help=f"log level (default here: {QUIET_LOG_LEVEL})")  # fmt: skip

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # Before the crawler process exists: it logs Scrapy's banner at INFO as it starts.  A URL is fetched by a
        # small crawl, whose retries and robots.txt lines would bury the one line this command says: quiet, as
        # the adapter tools' fetches are.
        if any(arg.startswith(("http://", "https://")) for arg in args):
            quiet_log(self.settings)
        elif (self.settings.getpriority("LOG_LEVEL") or 0) < SETTINGS_PRIORITIES["cmdline"]:
            self.settings.set("LOG_LEVEL", QUIET_LOG_LEVEL, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one file or URL")
        target = args[0]
        try:
            if target.startswith(("http://", "https://")):
                output = self._from_url(target, opts.spider)
            else:
                output = self._from_file(Path(target), opts.url, opts.spider)
        except (CaseError, UnknownSiteError, UnreadablePage, OSError) as error:
            print(f"extract: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        if output is None:
            self.exitcode = 1
            return
        try:
            sys.stdout.write(format_json(output))
            sys.stdout.flush()
        except BrokenPipeError:  # | head -c 10: the reader has what it wanted
            self.exitcode = stdout_closed()

    def _from_file(self, path: Path, url: str | None, site: str | None) -> dict[str, Any]:
        body = read_page_file(path)
        case = case_for_page(path)
        if case is not None and url is None:
            return case_output(case, site)
        if url is None:
            raise UsageError(f"{path} is not in a snapshot case folder: give its --url")
        content_type = f"text/html; charset={case.meta.get('encoding')}" if case else None
        return extract_page(body, content_type, url, site, str(path))

    def _from_url(self, url: str, site: str | None) -> dict[str, Any] | None:
        """The page fetched as the adapter tools fetch theirs (:mod:`crawler.tools.fetch`), then read as a file is."""
        if site is None:
            rules = rules_for_url(url)
            site = rules.site if rules is not None else GENERIC_RULES.site
        spider_class = None if site == GENERIC_RULES.site else spider_for(site)
        job = FetchJob([url], spider_class, domains=() if spider_class else (urlsplit(url).hostname or "",))
        assert self.crawler_process is not None and self.settings is not None
        page = fetch_pages(self.crawler_process, [job])[url]
        if isinstance(page, FetchError):
            why = str(page)  # "<url>: HTTP 404", "<url>: no such host ...": the URL first
            replayed_from = self.settings.get("REPLAY_SNAPSHOTS_DIR")
            if why.endswith(": HTTP 404") and replayed_from:
                why += f" (replay answers only the pages stored in {replayed_from})"
            print(f"extract: no article from {why}", file=sys.stderr)
            return None
        return extract_page(page.body, page.content_type, page.final_url, site, page.final_url)
