"""``scrapy savefixture URL --spider NAME [--case NAME]``: a new snapshot case from a live page.

The page is fetched once (``crawler.fetch``), stored as UTF-8, and run
through ``extract``.  The output is written as ``expected.json`` marked
unreviewed: the snapshot test fails until a person has read every field
against the page and deleted the mark.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.casefiles import CaseError, new_case_directory, write_case
from crawler.fetch import FetchError, fetch_options, fetch_page
from crawler.sites import UnknownSiteError, rules_for


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "URL --spider NAME [--case NAME]"

    def short_desc(self) -> str:
        return "Fetch one page into a new snapshot case, its output marked unreviewed"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", required=True, metavar="NAME", help="the site the page belongs to")
        parser.add_argument("--case", metavar="NAME", help="the case folder's name (default: from the URL)")
        parser.add_argument("--kind", default="article", choices=("article", "listing", "feed"))
        parser.add_argument("--snapshots", metavar="DIR", default="snapshots", help="default: snapshots")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one URL")
        try:
            folder = save_fixture(args[0], opts.spider, Path(opts.snapshots), opts.case, opts.kind, self._fetch_options())
        except (FetchError, CaseError, UnknownSiteError) as error:
            print(f"savefixture: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        print(f"savefixture: wrote {folder}; read expected.json against the page, then delete its _unreviewed line")

    def _fetch_options(self) -> dict[str, object]:
        assert self.settings is not None
        return fetch_options(self.settings)


def save_fixture(url: str, site: str, snapshots: Path, case: str | None, kind: str, fetch_options: dict) -> Path:
    rules_for(site)  # an unknown spider is an error before anything is fetched
    folder = new_case_directory(snapshots, site, case or url)
    page = fetch_page(url, **fetch_options)
    meta = {
        "url": page.final_url,
        "requested_url": page.url,
        "redirects": page.redirects,
        "status": page.status,
        "fetched": page.fetched_at,
        "original_encoding": page.encoding,
        "original_content_type": page.content_type,
        "encoding": "utf-8",
        "content_type": "text/html; charset=utf-8" if kind != "feed" else page.content_type,
        "kind": kind,
        "note": "saved by scrapy savefixture" + ("; " + "; ".join(page.notes) if page.notes else ""),
    }
    write_case(folder, page.text, meta)
    return folder
