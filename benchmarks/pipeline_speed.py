"""Items per second through the whole pipeline chain, next to the same items with no pipelines.

Run: ``python benchmarks/pipeline_speed.py [--items N]``.  The items are the
stored article pages' extractions, each given a distinct URL so that every
one is a new row; the store is a real SQLite file in a temporary folder.
Prints figures; asserts nothing.  A bad argument is one line on stderr and
exit status 2.
"""

from __future__ import annotations

import copy
import logging
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # cli, also when this file is imported from its path

from cli import ArgumentParser, at_least, run_command
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler

from crawler.extraction import extract
from crawler.tools.casefiles import iter_cases
from settings import base


def measure(argv: list[str] | None) -> None:
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=at_least(1), default=2000, help="items through the chain (default 2000)")
    options = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the odd cases log on purpose; figures only here

    cases = [case for case in iter_cases(ROOT / "snapshots") if case.kind == "article"]
    articles = [extract(case.page_text(), case.url, case.site) for case in cases]
    items = []
    for number in range(options.items):
        item = copy.deepcopy(articles[number % len(articles)])
        item.url = item.canonical_url = f"{item.url}?copy={number}"
        items.append(item)

    with tempfile.TemporaryDirectory() as folder:
        crawler = get_crawler(settings_dict={"NEWS_STORE_PATH": str(Path(folder) / "bench.sqlite")})
        crawler.stats.open_spider()
        stages = [
            build_from_crawler(load_object(path), crawler)
            for path, _ in sorted(base.ITEM_PIPELINES.items(), key=lambda entry: entry[1])
        ]

        started = time.perf_counter()
        kept = dropped = 0
        for item in items:
            try:
                for stage in stages:
                    item = stage.process_item(item)
                kept += 1
            except DropItem:
                dropped += 1
        chain_seconds = time.perf_counter() - started

        started = time.perf_counter()
        for item in items:
            item.to_dict()  # what an export does with an item when there are no pipelines
        bare_seconds = time.perf_counter() - started

    print(f"items: {len(items)} ({len(articles)} stored pages, copied), kept {kept}, dropped {dropped}")
    print(f"pipeline chain ({len(stages)} stages, SQLite commit per item): {len(items) / chain_seconds:10.0f} items/s")
    print(f"no pipelines:                                      {len(items) / bare_seconds:10.0f} items/s")


def main(argv: list[str] | None = None) -> int:
    """Exit 0; 2 with one line on stderr for a bad argument or a reader that closed the pipe early."""
    return run_command("pipeline_speed", lambda: measure(argv))


if __name__ == "__main__":
    sys.exit(main())
