"""``scrapy savefixture URL [--spider NAME] [--case NAME]``: a new snapshot case from a page of a site.

The page is fetched once through Scrapy's downloader with the project's
settings (``crawler.tools.fetch``): the site's spider, robots.txt, the user agent,
``DOWNLOAD_MAXSIZE``, and ``-s NEWS_MIRROR_URL=...`` to take it from the local
mirror, offline.  It is stored as UTF-8 under its real URL (the URL asked
for, or the one it redirected to on the site; never a mirror's address) and
run through ``extract``.  The output is written as ``expected.json`` marked
unreviewed: the snapshot test fails until a person has read every field
against the page and deleted the mark.

Without ``--spider`` the site is the one whose spider's ``allowed_domains``
cover the URL's host.  Everything that can be wrong (no such site, a URL off
its domains, a page that cannot be had) is one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.usage import OneLineUsage
from crawler.crawling.sites import UnknownSiteError, spider_for
from crawler.errors import UnreadablePage
from crawler.extraction.decoding import check_readable
from crawler.tools.casefiles import CaseError, new_case_directory, write_case
from crawler.tools.fetch import (
    FetchedPage,
    FetchError,
    FetchJob,
    check_on_site,
    fetch_pages,
    quiet_log,
    real_page_url,
    site_for_url,
)


class Command(OneLineUsage, ScrapyCommand):
    requires_project = True
    requires_crawler_process = True

    def syntax(self) -> str:
        return "URL [--spider NAME] [--case NAME] [--kind article|listing|feed]"

    def short_desc(self) -> str:
        return "Fetch one page into a new snapshot case, its output marked unreviewed"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", metavar="NAME", help="the site the page belongs to (default: from the URL)")
        parser.add_argument("--case", metavar="NAME", help="the case folder's name (default: from the URL)")
        parser.add_argument("--kind", default="article", choices=("article", "listing", "feed"))
        parser.add_argument("--snapshots", metavar="DIR", default="snapshots", help="default: snapshots")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        quiet_log(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one URL")
        assert self.settings is not None and self.crawler_process is not None
        try:
            url = real_page_url(args[0], self.settings.get("NEWS_MIRROR_URL"))
            site = opts.spider or site_for_url(url)
            spider_class = spider_for(site)
            check_on_site(url, site, getattr(spider_class, "allowed_domains", None) or ())
            new_case_directory(Path(opts.snapshots), site, opts.case or url)  # a folder it cannot have fails first
            page = fetch_pages(self.crawler_process, [FetchJob([url], spider_class)])[url]
            if isinstance(page, FetchError):
                raise page
            folder = save_fixture(page, site, Path(opts.snapshots), opts.case, opts.kind)
        except (FetchError, CaseError, UnknownSiteError, UnreadablePage, OSError) as error:
            print(f"savefixture: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        print(f"savefixture: wrote {folder}; read expected.json against the page, then delete its _unreviewed line")


def save_fixture(page: FetchedPage, site: str, snapshots: Path, case: str | None, kind: str) -> Path:
    """Write the fetched page as a new case of ``site``; its folder.

    An HTML page with nothing to read (empty, a PDF served as ``text/html``)
    is refused: a case of it would pin nothing.
    """
    spider_for(site)  # an unknown spider is an error before anything is written
    if kind != "feed":
        check_readable(page.body)
    folder = new_case_directory(snapshots, site, case or page.url)
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
