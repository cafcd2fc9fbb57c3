"""``scrapy extract``: one page in, one Article out, as JSON on stdout.

With a file, the page is read from disk (a snapshot case's URL and encoding
come from its ``meta.json``); with a URL it is fetched through the project's
settings, so under ``SCRAPY_PROJECT=replay`` it comes from ``snapshots/``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.casefiles import CaseError, case_for_page, case_output, format_json
from crawler.decoding import check_readable, decode_page
from crawler.errors import UnreadablePage
from crawler.extract import extract
from crawler.sites import UnknownSiteError, spider_for


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[--spider NAME] [--url URL] PATH_OR_URL"

    def short_desc(self) -> str:
        return "Extract the article of one page (a file or a URL) and print it as JSON"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", metavar="NAME", help="site rules to use (default: from the URL's host)")
        parser.add_argument("--url", metavar="URL", help="the page's URL, for a file outside a snapshot case")

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
        sys.stdout.write(format_json(output))

    def _from_file(self, path: Path, url: str | None, site: str | None) -> dict[str, Any]:
        if not path.is_file():
            raise CaseError(f"no such file: {path}")
        case = case_for_page(path)
        if case is not None and url is None:
            return case_output(case, site)
        if url is None:
            raise UsageError(f"{path} is not in a snapshot case folder: give its --url")
        content_type = f"text/html; charset={case.meta.get('encoding')}" if case else None
        body = path.read_bytes()
        check_readable(body)  # a PDF saved as page.html is an error to report, not an empty article
        text, _, notes = decode_page(body, content_type)  # as the spider decodes it
        for note in notes:
            print(f"extract: {path}: {note}", file=sys.stderr)
        return extract(text, url, site).to_dict()

    def _from_url(self, url: str, site: str | None) -> dict[str, Any] | None:
        from crawler.sites import rules_for_url

        rules = rules_for_url(url)
        spider_class = spider_for(site or (rules.site if rules else ""))
        items: list[Any] = []

        class OnePage(spider_class):  # type: ignore[misc,valid-type]
            # Extraction only, as for a file: no pipelines, nothing stored, nothing skipped.
            custom_settings = {"ITEM_PIPELINES": {}, "NEWS_STORE_PATH": ""}

            async def start(self):  # type: ignore[override]
                yield Request(url, callback=self.parse_article, dont_filter=True)

        assert self.crawler_process is not None
        crawler = self.crawler_process.create_crawler(OnePage)

        def collect(item: Any) -> None:
            items.append(item)

        # Scrapy holds signal receivers weakly: ``collect`` lives as long as this call.
        crawler.signals.connect(collect, signal=signals.item_scraped)
        self.crawler_process.crawl(crawler)
        self.crawler_process.start()
        if not items:
            print(f"extract: no article from {url} (see the log above)", file=sys.stderr)
            return None
        output = dict(items[0].to_dict())
        output.pop("fetched_at", None)
        return output
