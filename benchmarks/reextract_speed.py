"""Pages per second of ``reextract`` (reading the WARC, then extracting) next to ``extract`` alone, same pages.

The stored article pages are written to a temporary WARC archive as a crawl
would write them, ``--repeat`` times over; then one run times reading the
archive back and re-extracting every page (what ``scrapy reextract`` does per
page, without the store) and extracting the same pages from memory, and prints
both side by side: the difference is what reading the archive costs.

Run: ``python benchmarks/reextract_speed.py [--rounds N] [--repeat N]``.  A bad
argument is one line on stderr and exit status 2.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # cli, also when this file is imported from its path

from cli import ArgumentParser, DataError, at_least, run_command

from crawler.archiving.reader import ArchiveReading
from crawler.archiving.records import FetchedPage
from crawler.archiving.reextract import PageDropped, reextract
from crawler.archiving.writer import ArchiveWriter
from crawler.extraction import extract, resolve_rules
from crawler.extraction.decoding import decode_page
from crawler.tools.casefiles import iter_cases


def _content_type(meta: dict[str, object]) -> str:
    """The Content-Type a server would have sent: the case's stored encoding as its charset."""
    return f"text/html; charset={meta.get('encoding') or 'utf-8'}"


def best_seconds(work: Callable[[], None], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def measure(argv: list[str] | None) -> None:
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=at_least(1), default=5, help="timed rounds; the best is reported (default 5)")
    parser.add_argument("--repeat", type=at_least(1), default=10, help="copies of each page archived (default 10)")
    options = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the odd cases log on purpose; figures only here

    cases = [case for case in iter_cases(ROOT / "snapshots") if case.kind == "article"]
    if not cases:
        raise DataError(f"no stored article pages under {ROOT / 'snapshots'}")
    pages = [
        (case.page_bytes(), _content_type(case.meta), case.url, resolve_rules(case.url, case.site)) for case in cases
    ]
    count = len(pages) * options.repeat
    rules_by_url = {url: rules for _, _, url, rules in pages}
    with tempfile.TemporaryDirectory() as folder:
        writer = ArchiveWriter(folder, "benchmark")
        for _ in range(options.repeat):
            for body, content_type, url, _ in pages:
                writer.write(FetchedPage(url, "GET", [], 200, [("Content-Type", content_type)], body))
        writer.close()
        archive_bytes = sum(path.stat().st_size for path in writer.paths)

        def run_reextract() -> None:
            for page in ArchiveReading([folder]).pages():
                with contextlib.suppress(PageDropped):  # a case that fails validation on purpose: timed all the same
                    reextract(page, rules_by_url[page.url])

        def run_extract() -> None:
            for _ in range(options.repeat):
                for body, content_type, url, rules in pages:
                    extract(decode_page(body, content_type)[0], url, rules)

        def run_read() -> None:
            for page in ArchiveReading([folder]).pages():
                assert page.body

        run_extract()  # warm up imports and caches
        reextract_rate = count / best_seconds(run_reextract, options.rounds)
        extract_rate = count / best_seconds(run_extract, options.rounds)
        read_rate = count / best_seconds(run_read, options.rounds)
    print(f"pages: {len(pages)} stored article pages x {options.repeat} = {count}, "
          f"archive {archive_bytes / 1024:.0f} KiB gzipped")  # fmt: skip
    print(f"{'reextract (read WARC + extract + clean/validate)':<50} {reextract_rate:10.0f} pages/s")
    print(f"{'extract alone (decode + extract)':<50} {extract_rate:10.0f} pages/s")
    print(f"{'read WARC alone':<50} {read_rate:10.0f} pages/s")
    print(f"reextract takes {extract_rate / reextract_rate:.2f}x the time of extract alone")


def main(argv: list[str] | None = None) -> int:
    """Exit 0; 2 with one line on stderr for a bad argument or a reader that closed the pipe early."""
    return run_command("reextract_speed", lambda: measure(argv))


if __name__ == "__main__":
    sys.exit(main())
