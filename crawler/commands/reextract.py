"""``scrapy reextract ARCHIVE... [--site S] [--diff] [--store]``: today's rules over archived article pages.

ARCHIVE is WARC files written with ``-s NEWS_ARCHIVE_DIR`` (or folders of
them).  Every archived article page is extracted again with the current rules
of its site (by its URL's host, or ``--site``) and compared with the article
the store (``NEWS_STORE_PATH``) holds for it:

- ``--diff`` (the default): per site, the pages read, how many would change,
  per field on how many pages, and up to ``--examples`` pages with the
  per-field lines the snapshot tests print;
- ``--store``: the changed articles are saved, each a new version in the
  store; unchanged ones are left as they are.  Pages the store does not hold
  are not added (only a crawl decides what is stored).

A page of no known site is counted under "(no site)", not an error; a torn
last record (a crawl killed while writing) is skipped with one warning line.

Exit status: 0 when the archives were read (whatever would change); 2 for a
usage mistake, a missing or unreadable path, a file that is no WARC, an
unknown ``--site``, or ``--store`` without a store.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from crawler.archiving.reader import ArchiveError, ArchiveReading
from crawler.archiving.reextract import NO_SITE, PageDropped, SiteSummary, compare, reextract, site_of
from crawler.commands.usage import OneLineUsage
from crawler.crawling.sites import UnknownSiteError, rules_for
from crawler.rules import SiteRules
from crawler.storage.backend import Store, StoreError, mask_url, open_store
from crawler.storage.fingerprint import fingerprint
from crawler.storage.store import ArticleStore
from crawler.urls import url_key

#: Pages shown with their differences per site, by default.
DEFAULT_EXAMPLES = 3


class StoredArticles:
    """The store's articles of a site, by URL and canonical URL, read once per site as its pages come."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self.by_site: dict[str, dict[str, dict[str, Any]]] = {}

    def get(self, site: str, url: str) -> dict[str, Any] | None:
        if self.store is None:
            return None
        if site not in self.by_site:
            index: dict[str, dict[str, Any]] = {}
            for article in self.store.articles(site=site):
                index[article["url"]] = index[article["canonical_url"]] = article
            self.by_site[site] = index
        return self.by_site[site].get(url_key(url))

    def saved(self, site: str, article: dict[str, Any]) -> None:
        index = self.by_site.get(site)
        if index is not None:
            index[article["url"]] = index[article["canonical_url"]] = article


class Command(OneLineUsage, ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "ARCHIVE... [--site NAME] [--diff] [--store]"

    def short_desc(self) -> str:
        return "Run the current rules over archived article pages (WARC): what would change, or update the store"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", metavar="NAME", help="the site's rules for every page (default: by URL)")
        parser.add_argument("--diff", action="store_true", help="per site, what would change (the default)")
        parser.add_argument("--store", action="store_true", help="save the changed articles as new versions")
        parser.add_argument("--examples", metavar="N", type=int, default=DEFAULT_EXAMPLES,
                            help=f"pages shown with their differences per site (default {DEFAULT_EXAMPLES})")  # fmt: skip

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        if (self.settings.getpriority("LOG_LEVEL") or 0) < SETTINGS_PRIORITIES["cmdline"]:
            self.settings.set("LOG_LEVEL", "WARNING", priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give one or more WARC files or folders", print_help=False)
        if opts.examples < 0:
            raise UsageError(f"--examples {opts.examples}: give 0 or more", print_help=False)
        try:
            self.exitcode = self._run(args, opts)
        except (ArchiveError, UnknownSiteError, sqlite3.Error, StoreError) as error:
            print(f"reextract: {error}", file=sys.stderr)
            self.exitcode = 2

    def _run(self, args: list[str], opts: argparse.Namespace) -> int:
        assert self.settings is not None
        site = rules_for(opts.site) if opts.site else None
        store_url = self.settings.get("NEWS_STORE_URL") or ""
        store_path = store_url and mask_url(store_url) or self.settings.get("NEWS_STORE_PATH") or ""
        if opts.store and not store_path:
            print("reextract: --store needs a store: NEWS_STORE_PATH is not set", file=sys.stderr)
            return 2
        if store_url:  # the shared PostgreSQL store (crawler/storage/backend.py)
            store: Store | None = open_store(self.settings, read_only=not opts.store)
        else:
            store = _open_store(Path(store_path), opts.store) if store_path else None
        try:
            reading = ArchiveReading(args)
            summaries = self._compare(reading, site, StoredArticles(store), opts, store if opts.store else None)
        finally:
            if store is not None:
                store.close()
        if store is None and not opts.store:  # said once the archives were read: a bad one is one line alone
            print(f"reextract: no store at {store_path or '(NEWS_STORE_PATH unset)'}: every page is "
                  "'not in the store'", file=sys.stderr)  # fmt: skip
        for path in reading.torn:
            print(f"reextract: {path}: skipped a torn last record (a crawl stopped while writing it)", file=sys.stderr)
        pages = sum(summary.pages for summary in summaries.values())
        print(f"{pages} archived article {'page' if pages == 1 else 'pages'} in {reading.files} "
              f"{'file' if reading.files == 1 else 'files'}; {len(reading.torn)} torn records skipped")  # fmt: skip
        show_diff = opts.diff or not opts.store
        for name in sorted(summaries):
            for line in summaries[name].lines(show_diff):
                print(line)
        return 0

    def _compare(
        self,
        reading: ArchiveReading,
        site: SiteRules | None,
        stored: StoredArticles,
        opts: argparse.Namespace,
        store: Store | None,
    ) -> dict[str, SiteSummary]:
        assert self.settings is not None
        min_body_chars = self.settings.getint("NEWS_MIN_BODY_CHARS", 200)
        summaries: dict[str, SiteSummary] = {}
        for page in reading.pages():
            rules = site_of(page.url, site)
            name = rules.site if rules is not None else NO_SITE
            summary = summaries.setdefault(name, SiteSummary(name))
            summary.pages += 1
            if rules is None:
                continue
            try:
                article = reextract(page, rules, min_body_chars)
            except PageDropped as dropped:
                summary.dropped[dropped.reason] += 1
                continue
            before = stored.get(name, article["url"]) or stored.get(name, page.url)
            if before is None:
                summary.not_in_store += 1
                continue
            changed, lines = compare(before, article)
            if changed:
                summary.changed += 1
                summary.fields.update(changed)
                if len(summary.examples) < opts.examples:
                    summary.examples.append((page.url, lines))
            if store is not None:
                if before.get("duplicate_of"):
                    article["duplicate_of"] = before["duplicate_of"]
                summary.saved[store.save(article, fingerprint(article.get("body") or ""))] += 1
                stored.saved(name, article)
        return summaries


def _open_store(path: Path, writing: bool) -> ArticleStore | None:
    """The store to compare with (read-only unless ``--store``); ``None`` when there is none to read."""
    if writing:
        return ArticleStore(path)
    if not path.exists():
        return None
    return ArticleStore(path, read_only=True)
