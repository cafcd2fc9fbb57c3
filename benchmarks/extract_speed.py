"""Pages per second of ``extract`` over every stored article page, next to bare parsing.

Run: ``python benchmarks/extract_speed.py [--rounds N] [--pages DIR]``.  Prints
figures; it asserts nothing (timings belong in a report, not in a test).  The
stored pages are timed together, then split by the path that read their body:
the site's rules, or the generic path (the stored cases where the rules miss
on purpose: a renamed container, a video page), which costs more.  The
stored pages are small; ``--pages DIR`` adds a second figure for the pages of a
folder (``.html`` and ``.html.gz`` files, e.g. a benchmark's ``html/``),
real-size pages extracted with generic rules, next to a parse of the same
pages.  A bad argument or folder is one line on stderr and exit status 2.
"""

from __future__ import annotations

import gzip
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # cli, also when this file is imported from its path

from cli import ArgumentParser, DataError, at_least, run_command
from selectolax.lexbor import LexborHTMLParser

from crawler.extraction import extract, extract_with_provenance, resolve_rules
from crawler.extraction.decoding import decode_page
from crawler.rules import GENERIC_RULES, SiteRules
from crawler.tools.casefiles import iter_cases

#: Where a folder's pages are said to come from: no site's address, so generic rules read them.
FOLDER_URL = "https://example.org/news/story"

Page = tuple[str, str, SiteRules]


def pages_per_second(work: Callable[[], None], pages: int, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return pages / best


def stored_pages() -> list[Page]:
    """The stored article pages, each with its site's rules."""
    cases = [case for case in iter_cases(ROOT / "snapshots") if case.kind == "article"]
    return [(case.page_text(), case.url, resolve_rules(case.url, case.site)) for case in cases]


def folder_pages(folder: Path) -> list[Page]:
    """The folder's ``.html`` and ``.html.gz`` pages, decoded as the spider decodes them, with generic rules."""
    if not folder.is_dir():
        raise DataError(f"not a folder: {folder}")
    try:
        paths = sorted(path for path in folder.iterdir() if path.name.endswith((".html", ".html.gz")))
    except OSError as error:
        raise DataError(f"cannot list {folder}: {error}") from None
    if not paths:
        raise DataError(f"{folder} holds no .html or .html.gz files")
    pages = []
    for path in paths:
        try:
            data = path.read_bytes()
            if path.name.endswith(".gz"):
                data = gzip.decompress(data)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            raise DataError(f"cannot read {path}: {error}") from None
        pages.append((decode_page(data, None)[0], FOLDER_URL, GENERIC_RULES))
    return pages


def compare(label: str, pages: list[Page], repeat: int, rounds: int) -> None:
    """Print the pages' extract rate next to a bare parse of the same pages (the best of ``rounds``)."""
    total_bytes = sum(len(html.encode("utf-8")) for html, _, _ in pages)
    count = len(pages) * repeat

    def run_extract() -> None:
        for _ in range(repeat):
            for html, url, rules in pages:
                extract(html, url, rules)

    def run_parse() -> None:
        for _ in range(repeat):
            for html, _, _ in pages:
                LexborHTMLParser(html)

    run_extract()  # warm up imports and caches
    extract_rate = pages_per_second(run_extract, count, rounds)
    parse_rate = pages_per_second(run_parse, count, rounds)
    print(f"pages: {len(pages)} {label}, {total_bytes / len(pages) / 1024:.1f} KiB on average")
    print(f"extract:          {extract_rate:10.0f} pages/s")
    print(f"selectolax parse: {parse_rate:10.0f} pages/s")
    print(f"extract costs {parse_rate / extract_rate:.1f}x a bare parse")


def measure(argv: list[str] | None) -> None:
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--rounds", type=at_least(1), default=20, help="timed rounds; the best is reported (default 20)"
    )
    parser.add_argument(
        "--repeat", type=at_least(1), default=10, help="passes over the stored pages in one round (default 10)"
    )
    parser.add_argument(
        "--pages", type=Path, metavar="DIR",
        help="also time the .html/.html.gz pages of DIR (generic rules, one pass a round; try --rounds 3)",
    )  # fmt: skip
    options = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the odd cases log on purpose; figures only here

    folder = folder_pages(options.pages) if options.pages is not None else None  # a bad folder fails first
    stored = stored_pages()
    compare("stored article pages", stored, options.repeat, options.rounds)
    by_site_rules = [page for page in stored if extract_with_provenance(*page).generic_path is None]
    by_generic_path = [page for page in stored if page not in by_site_rules]
    for label, group in (
        ("of them whose body the site's rules read", by_site_rules),
        ("of them whose body the generic path reads (cases where the site's rules miss on purpose)", by_generic_path),
    ):
        if group:
            print()
            compare(label, group, options.repeat, options.rounds)
    if folder is not None:
        print()
        compare(f"pages of {options.pages}", folder, 1, options.rounds)


def main(argv: list[str] | None = None) -> int:
    """Exit 0; 2 with one line on stderr for a bad argument or a reader that closed the pipe early."""
    return run_command("extract_speed", lambda: measure(argv))


if __name__ == "__main__":
    sys.exit(main())
