"""``scrapy export``: the stored articles as JSON Lines or CSV, by site and publication date.

CSV is the crawl feed's CSV (:class:`crawler.feeds.exporters.ArticleCsvExporter`):
the same columns whether the articles come from a crawl or from the store.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import IO, Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.usage import OneLineUsage
from crawler.feeds.exporters import ArticleCsvExporter
from crawler.storage.backend import Store, StoreError, is_server_url
from crawler.storage.store import ArticleStore

FORMATS = ("jsonl", "csv")
#: The exit status of a writer whose reader went away: what a shell reports for a tool killed by SIGPIPE.
EXIT_STDOUT_CLOSED = 128 + 13


def stdout_closed() -> int:
    """Stop writing quietly once stdout's reader is gone (``| head``); the exit status to use.

    Python ignores SIGPIPE, so the write raises instead of ending the process
    as it would end ``cat``; and at exit Python would try to flush what is
    left and print "Exception ignored ... BrokenPipeError".  Pointing stdout
    at /dev/null lets that last flush succeed unseen.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
    return EXIT_STDOUT_CLOSED


def output_format(requested: str | None, output: str | None) -> str:
    """``--format`` if given; otherwise from ``-o``'s extension (``.csv``), as ``scrapy crawl -O`` decides."""
    if requested is not None:
        return requested
    return "csv" if output is not None and output.lower().endswith(".csv") else "jsonl"


def write_jsonl(articles: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    """One JSON object a line, keys sorted, text as published (UTF-8, no escapes); how many."""
    count = 0
    for article in articles:
        out.write((json.dumps(article, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
        count += 1
    return count


def write_csv(articles: Iterable[dict[str, Any]], out: IO[bytes], encoding: str) -> int:
    """The crawl feed's CSV (header, one flat row an article); how many."""
    exporter = ArticleCsvExporter(out, encoding=encoding)
    exporter.start_exporting()
    count = 0
    try:
        for article in articles:
            exporter.export_item(article)
            count += 1
    finally:
        exporter.finish_exporting()  # lets go of ``out`` without closing it (stdout stays ours)
    return count


class Command(OneLineUsage, ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--site NAME] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--format jsonl|csv] [-o FILE]"

    def short_desc(self) -> str:
        return "Write the stored articles as JSON Lines or CSV (stdout, or -o FILE)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", metavar="NAME", help="only this spider's articles")
        parser.add_argument("--since", metavar="DAY", help="published on or after this day")
        parser.add_argument("--until", metavar="DAY", help="published on or before this day")
        parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
        parser.add_argument("--format", choices=FORMATS, default=None,
                            help="jsonl or csv (default: csv for an -o FILE ending in .csv, else jsonl)")  # fmt: skip
        parser.add_argument("--store", metavar="PATH_OR_URL",
                            help="the SQLite file or a postgresql:// URL (default: NEWS_STORE_URL, else NEWS_STORE_PATH)")  # fmt: skip

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        for name in ("since", "until"):
            value = getattr(opts, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise UsageError(f"--{name} takes a day as YYYY-MM-DD, not {value!r}") from None
        server = opts.store if opts.store and is_server_url(opts.store) else None
        if server is None and not opts.store:
            server = self.settings.get("NEWS_STORE_URL") or None
        path = Path(opts.store or self.settings.get("NEWS_STORE_PATH") or "")
        if server is None and not path.is_file():
            print(f"export: no store at {path} (crawl first, or give --store)", file=sys.stderr)
            self.exitcode = 2
            return
        form = output_format(opts.format, opts.output)
        encoding = self.settings.get("FEED_EXPORT_ENCODING") or "utf-8"
        try:
            # Read-only: an export never writes to the store (no schema, no journal mode; a read-only session on
            # a server), so it works on a store it may not write to, and never takes the write lock a crawl needs.
            with self._open(server, path) as store:
                articles = store.articles(opts.site, opts.since, opts.until)
                if opts.output:
                    with open(opts.output, "wb") as out:
                        count = self._write(form, articles, out, encoding)
                else:
                    count = self._write(form, articles, sys.stdout.buffer, encoding)
                    sys.stdout.buffer.flush()
        except BrokenPipeError:  # | head -1: the reader has what it wanted
            self.exitcode = stdout_closed()
            return
        except sqlite3.Error as error:
            print(f"export: cannot read the store {path}: {error}", file=sys.stderr)
            self.exitcode = 1
            return
        except StoreError as error:  # a server that cannot be reached, refuses the login, or holds no store
            print(f"export: {error}", file=sys.stderr)
            self.exitcode = 1
            return
        except OSError as error:
            print(f"export: cannot write {opts.output or 'stdout'}: {error}", file=sys.stderr)
            self.exitcode = 1
            return
        print(f"export: {count} articles", file=sys.stderr)

    @staticmethod
    def _open(server: str | None, path: Path) -> AbstractContextManager[Store]:
        if server is not None:
            from crawler.storage.postgres import PostgresStore

            return PostgresStore(server, read_only=True)
        return ArticleStore(path, read_only=True)

    @staticmethod
    def _write(form: str, articles: Iterable[dict[str, Any]], out: IO[bytes], encoding: str) -> int:
        return write_csv(articles, out, encoding) if form == "csv" else write_jsonl(articles, out)
