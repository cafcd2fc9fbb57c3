"""``scrapy export``: the stored articles as JSON Lines, by site and publication date."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from contextlib import nullcontext
from datetime import date
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.store import ArticleStore


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--site NAME] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [-o FILE]"

    def short_desc(self) -> str:
        return "Write the stored articles as JSON Lines (stdout, or -o FILE)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", metavar="NAME", help="only this spider's articles")
        parser.add_argument("--since", metavar="DAY", help="published on or after this day")
        parser.add_argument("--until", metavar="DAY", help="published on or before this day")
        parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument("--store", metavar="PATH", help="the SQLite store (default: NEWS_STORE_PATH)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        for name in ("since", "until"):
            value = getattr(opts, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise UsageError(f"--{name} takes a day as YYYY-MM-DD, not {value!r}") from None
        path = Path(opts.store or self.settings.get("NEWS_STORE_PATH") or "")
        if not path.is_file():
            print(f"export: no store at {path} (crawl first, or give --store)", file=sys.stderr)
            self.exitcode = 2
            return
        count = 0
        try:
            # Read-only: an export never writes to the store (no schema, no journal mode), so it works on a
            # store it may not write to, and never takes the write lock a crawl needs.
            with ArticleStore(path, read_only=True) as store:
                with open(opts.output, "w", encoding="utf-8") if opts.output else nullcontext(sys.stdout) as out:
                    for article in store.articles(opts.site, opts.since, opts.until):
                        out.write(json.dumps(article, ensure_ascii=False, sort_keys=True) + "\n")
                        count += 1
        except sqlite3.Error as error:
            print(f"export: cannot read the store {path}: {error}", file=sys.stderr)
            self.exitcode = 1
            return
        except OSError as error:
            print(f"export: cannot write {opts.output or 'stdout'}: {error}", file=sys.stderr)
            self.exitcode = 1
            return
        print(f"export: {count} articles", file=sys.stderr)
