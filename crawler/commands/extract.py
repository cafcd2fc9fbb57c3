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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import scrapy
from scrapy import Request, signals
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.commands.export import stdout_closed
from crawler.crawling.sites import UnknownSiteError, rules_for_url, spider_for
from crawler.errors import UnreadablePage
from crawler.extraction import extract
from crawler.extraction.decoding import check_readable, decode_page
from crawler.rules import GENERIC_RULES
from crawler.tools.casefiles import CaseError, case_for_page, case_output, format_json

#: Skips articles the store holds; one page is extracted whatever the store holds.
SKIP_STORED_MIDDLEWARE = "crawler.downloader.incremental.SkipStoredArticlesMiddleware"
#: The command's own log level: warnings are what a user of one page needs to see.
QUIET_LOG_LEVEL = "WARNING"


class PageFileError(OSError):
    """A page path that is no readable file: said in one line, without the errno's noise."""


@dataclass
class FetchedPage:
    """A downloaded page of no known site, to be read as a file is read."""

    url: str  # after redirects, as the spider reads it
    body: bytes
    content_type: str | None


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


def failure_text(failure: Failure) -> str:
    """Why a fetch failed, in a few words: ``HTTP 404``, or the transport's message."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return failure.getErrorMessage() or type(failure.value).__name__


class GenericPageSpider(scrapy.Spider):
    """Fetches a page of no known site; the command reads it with the generic rules.

    Not a NewsSpider: that one warns that each field "came from the generic
    extractor", which is the point here, and needs a site's time zone.
    """

    name = GENERIC_RULES.site


class Command(ScrapyCommand):
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
        # Before the crawler process exists: it logs Scrapy's banner at INFO as it starts.
        if (self.settings.getpriority("LOG_LEVEL") or 0) < SETTINGS_PRIORITIES["cmdline"]:
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
        if site is None:
            rules = rules_for_url(url)
            site = rules.site if rules is not None else GENERIC_RULES.site
        spider_class = GenericPageSpider if site == GENERIC_RULES.site else spider_for(site)
        found: list[Any] = []
        failures: list[str] = []
        assert self.settings is not None
        # Extraction only, as for a file: no pipelines, nothing stored, nothing skipped (and no store to open).
        middlewares = {**self.settings.getdict("DOWNLOADER_MIDDLEWARES"), SKIP_STORED_MIDDLEWARE: None}
        one_page_settings = {"ITEM_PIPELINES": {}, "NEWS_STORE_PATH": "", "DOWNLOADER_MIDDLEWARES": middlewares}

        class OnePage(spider_class):  # type: ignore[misc,valid-type]
            custom_settings = one_page_settings

            async def start(self):
                callback = self.keep_page if spider_class is GenericPageSpider else self.parse_article
                yield Request(url, callback=callback, errback=self.fetch_failed, dont_filter=True)

            def keep_page(self, response: Response) -> None:
                content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
                found.append(FetchedPage(response.url, response.body, content_type))

            def fetch_failed(self, failure: Failure) -> None:
                failures.append(failure_text(failure))

        assert self.crawler_process is not None
        crawler = self.crawler_process.create_crawler(OnePage)

        def collect(item: Any) -> None:
            found.append(item)

        # Scrapy holds signal receivers weakly: ``collect`` lives as long as this call.
        crawler.signals.connect(collect, signal=signals.item_scraped)
        self.crawler_process.crawl(crawler)
        self.crawler_process.start()
        if not found:
            why = f": {failures[0]}" if failures else " (see the warnings above)"
            replayed_from = self.settings.get("REPLAY_SNAPSHOTS_DIR")
            if failures == ["HTTP 404"] and replayed_from:
                why += f" (replay answers only the pages stored in {replayed_from})"
            print(f"extract: no article from {url}{why}", file=sys.stderr)
            return None
        page = found[0]
        if isinstance(page, FetchedPage):
            return extract_page(page.body, page.content_type, page.url, GENERIC_RULES.site, page.url)
        output = dict(page.to_dict())
        output.pop("fetched_at", None)
        return output
