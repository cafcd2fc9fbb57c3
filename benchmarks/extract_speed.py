"""Pages per second of ``extract`` over every stored article page, next to bare parsing.

Run: ``python benchmarks/extract_speed.py [--rounds N]``.  Prints figures; it
asserts nothing (timings belong in a report, not in a test).  A bad argument
is one line on stderr and exit status 2.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # cli, also when this file is imported from its path

from cli import ArgumentParser, at_least, run_command
from selectolax.lexbor import LexborHTMLParser

from crawler.extraction import extract, resolve_rules
from crawler.tools.casefiles import iter_cases


def pages_per_second(work: Callable[[], None], pages: int, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return pages / best


def measure(argv: list[str] | None) -> None:
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--rounds", type=at_least(1), default=20, help="timed rounds; the best is reported (default 20)"
    )
    parser.add_argument(
        "--repeat", type=at_least(1), default=10, help="passes over the pages in one round (default 10)"
    )
    options = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the odd cases log on purpose; figures only here

    cases = [case for case in iter_cases(ROOT / "snapshots") if case.kind == "article"]
    pages = [(case.page_text(), case.url, resolve_rules(case.url, case.site)) for case in cases]
    total_bytes = sum(len(html.encode("utf-8")) for html, _, _ in pages)
    count = len(pages) * options.repeat

    def run_extract() -> None:
        for _ in range(options.repeat):
            for html, url, rules in pages:
                extract(html, url, rules)

    def run_parse() -> None:
        for _ in range(options.repeat):
            for html, _, _ in pages:
                LexborHTMLParser(html)

    run_extract()  # warm up imports and caches
    extract_rate = pages_per_second(run_extract, count, options.rounds)
    parse_rate = pages_per_second(run_parse, count, options.rounds)
    print(f"pages: {len(pages)} stored article pages, {total_bytes / len(pages) / 1024:.1f} KiB on average")
    print(f"extract:          {extract_rate:10.0f} pages/s")
    print(f"selectolax parse: {parse_rate:10.0f} pages/s")
    print(f"extract costs {parse_rate / extract_rate:.1f}x a bare parse")


def main(argv: list[str] | None = None) -> int:
    """Exit 0; 2 with one line on stderr for a bad argument or a reader that closed the pipe early."""
    return run_command("extract_speed", lambda: measure(argv))


if __name__ == "__main__":
    sys.exit(main())
