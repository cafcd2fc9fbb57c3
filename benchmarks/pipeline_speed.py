"""Items per second through the whole pipeline chain, into SQLite and into PostgreSQL side by side, and with none.

Run: ``python benchmarks/pipeline_speed.py [--items N] [--store-url postgresql://...]``.
The items are the stored article pages' extractions, each given a distinct
URL so that every one is a new row, as the extractor hands them to a crawl's
pipelines: cleaned by the extractor, so the clean stage finds them unchanged
since and does not clean them again (an item changed or made elsewhere is
cleaned there); the SQLite store is a real file in a
temporary folder, measured with its own ``synchronous=NORMAL`` and with ``FULL``
(an fsync per commit) side by side.  The PostgreSQL store is ``--store-url`` (rows are added,
under URLs of this run's own), or else a temporary server started from
Debian's ``postgresql`` binaries as the tests start it (tests/postgres_server.py);
with neither, its column says why it is missing.  Prints figures; asserts
nothing.  A bad argument or a server that cannot be reached is one line on
stderr and exit status 2.
"""

from __future__ import annotations

import contextlib
import copy
import glob
import logging
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # cli, also when this file is imported from its path

from cli import ArgumentParser, DataError, at_least, run_command
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler

from crawler.extraction import extract
from crawler.storage.backend import StoreError
from crawler.storage.store import ArticleStore, store_for
from crawler.tools.casefiles import iter_cases
from settings import base


def run_chain(
    items: list[Any], settings: dict[str, str], synchronous: str | None = None
) -> tuple[float, int, int, int]:
    """Every item through every stage with these settings: seconds, kept, dropped, stages.

    ``synchronous`` sets the SQLite store's ``PRAGMA synchronous`` (the store's own is ``NORMAL``): ``FULL``
    shows what an fsync per commit would cost, the price of surviving a power loss as well as a kill.
    """
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    stages = [
        build_from_crawler(load_object(path), crawler)
        for path, _ in sorted(base.ITEM_PIPELINES.items(), key=lambda entry: entry[1])
    ]
    if synchronous is not None:
        store = store_for(crawler)
        assert isinstance(store, ArticleStore)
        store.connection.execute(f"PRAGMA synchronous={synchronous}")
    started = time.perf_counter()
    kept = dropped = 0
    for item in items:
        try:
            for stage in stages:
                item = stage.process_item(item)
            kept += 1
        except DropItem:
            dropped += 1
    seconds = time.perf_counter() - started
    for stage in stages:
        if hasattr(stage, "close_spider"):
            stage.close_spider()
    return seconds, kept, dropped, len(stages)


@contextlib.contextmanager
def postgres_url(given: str | None) -> Iterator[str | None]:
    """``--store-url``, else a temporary server of the tests' kind; ``None`` when there is no server binary."""
    if given:
        yield given
        return
    if not glob.glob("/usr/lib/postgresql/*/bin/postgres"):
        yield None
        return
    from tests.postgres_server import fresh_database, postgres_bin_dir, running_postgres

    with running_postgres(postgres_bin_dir()) as server:
        yield fresh_database(server)


def measure(argv: list[str] | None) -> None:
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=at_least(1), default=2000, help="items through the chain (default 2000)")
    parser.add_argument("--store-url", metavar="URL", help="a PostgreSQL database (default: a temporary server)")
    options = parser.parse_args(argv)
    if options.store_url and not options.store_url.startswith(("postgresql://", "postgres://")):
        raise DataError(f"--store-url takes a postgresql:// URL, not {options.store_url!r}; see --help")
    logging.disable(logging.WARNING)  # the odd cases log on purpose; figures only here

    cases = [case for case in iter_cases(ROOT / "snapshots") if case.kind == "article"]
    articles = [extract(case.page_text(), case.url, case.site) for case in cases]
    run = int(time.time())  # URLs of this run's own: a database given with --store-url may hold earlier runs'

    def copies() -> list[Any]:
        items = []
        for number in range(options.items):
            item = copy.deepcopy(articles[number % len(articles)])
            item.url = item.canonical_url = f"{item.url}?copy={number}&run={run}"
            items.append(item)
        return items

    rates: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        for synchronous in ("NORMAL", "FULL"):
            path = str(Path(folder) / f"bench-{synchronous.lower()}.sqlite")
            seconds, kept, dropped, stages = run_chain(copies(), {"NEWS_STORE_PATH": path}, synchronous)
            rates[synchronous] = f"{options.items / seconds:.0f}"
        try:
            with postgres_url(options.store_url) as url:
                if url is None:
                    rates["PostgreSQL"] = "n/a (no server binaries; give --store-url)"
                else:
                    settings = {"NEWS_STORE_URL": url, "NEWS_STORE_JOURNAL_PATH": str(Path(folder) / "bench.postgres")}
                    pg_seconds, *_ = run_chain(copies(), settings)
                    rates["PostgreSQL"] = f"{options.items / pg_seconds:.0f}"
        except StoreError as error:
            raise DataError(str(error)) from None

    items = copies()
    started = time.perf_counter()
    for item in items:
        item.to_dict()  # what an export does with an item when there are no pipelines
    bare_seconds = time.perf_counter() - started

    print(f"items: {len(items)} ({len(articles)} stored pages, copied), kept {kept}, dropped {dropped}")
    print(f"pipeline chain ({stages} stages, a commit per item), items/s:  "
          f"SQLite synchronous=NORMAL (the store's: survives a kill) {rates['NORMAL']}  |  "
          f"SQLite synchronous=FULL (survives a power loss too) {rates['FULL']}  |  "
          f"PostgreSQL {rates['PostgreSQL']}")  # fmt: skip
    print(f"no pipelines: {len(items) / bare_seconds:.0f} items/s")


def main(argv: list[str] | None = None) -> int:
    """Exit 0; 2 with one line on stderr for a bad argument or a reader that closed the pipe early."""
    return run_command("pipeline_speed", lambda: measure(argv))


if __name__ == "__main__":
    sys.exit(main())
