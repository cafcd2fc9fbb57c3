"""Accuracy and speed of newsframe's headline, author and date extraction next to trafilatura's metadata.

Run::

    python benchmarks/metadata_accuracy.py --wcxb WCXB_DIR [--only-ours] [--worst 15]

The data set is the development split of the Web Content eXtraction Benchmark (WCXB), from the public
repository ``Murrough-Foley/web-content-extraction-benchmark`` (CC-BY-4.0), read only from the folder named
on the command line: ``html/<id>.html.gz`` and ``ground-truth/<id>.json`` (``url`` and
``ground_truth.title``, ``ground_truth.author``, ``ground_truth.publish_date`` as ``YYYY-MM-DD``; the last
two are often missing, null or empty).  Pages are loaded by ``generic_accuracy.py``'s WCXB loader.

Three fields are scored, each a plain right or wrong per page, counted only on pages whose truth has the
field (so each field has its own page count).  WCXB publishes no metric for its metadata, so the matching
rules below are this benchmark's own choices: lenient about typography a reader would not notice, strict
about content.

- headline: the extracted title equals the true title once both are normalised: NFKC, typographic quotes,
  apostrophes and dashes made straight (``’`` = ``'``, ``“`` = ``"``, ``—`` = ``-``), case folded,
  whitespace collapsed, punctuation and quotes around the whole stripped.  A site name appended to the title
  (``Title | Site``) counts as wrong: the headline is what a reader of the feed would see.
- authors: the set of extracted names equals the set of true names.  Both sides are split the same way, on
  ``,``, ``;``, ``&`` and the word ``and`` (the truth joins several names so; trafilatura joins them with
  ``; ``, newsframe gives a list), each name normalised as a title is, a leading ``by`` dropped.  Order does
  not count; a missing or extra name does.  Credentials written after a comma (``Jane Doe, MD``) split off
  as if a name, on both sides alike.
- publication day: the first ten characters (``YYYY-MM-DD``) of the extracted ISO 8601 date equal the
  true ``publish_date``: the calendar day as the page shows it, never converted to UTC, since the truth was
  read off the page.  A time or a UTC offset does not count either way; a truth coarser than a day
  (``2003-11``) can never be matched.

Extractors: newsframe's ``extract(html, url, "generic")`` (``headline``, ``authors``, ``date_published``) and
trafilatura's ``bare_extraction(html, url=url, with_metadata=True)`` (``title``, ``author``, ``date``;
``pip install -e '.[benchmark]'``).  Without trafilatura, or with ``--only-ours``, newsframe alone is scored.
Both extract the whole page (body included), so pages/s, over one pass, is the speed of a full extraction.

After the table, ``--worst`` lists per field up to that many pages trafilatura gets right and newsframe
wrong, with the truth and both values: the failures worth studying first.  Prints figures; asserts nothing.

A missing or unreadable folder is one line on stderr and exit status 2, as is a bad argument or a reader that
closes the pipe.  In a terminal, a progress line on stderr shows how far each extractor is.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # generic_accuracy, also when this file is imported from its path (tests)

from cli import (
    ArgumentParser,
    DataError,
    Progress,
    at_least,
    run_command,
    trafilatura_available,
)
from generic_accuracy import Page, detect_layout, load_wcxb

from crawler.extraction import extract

NEWSFRAME = "newsframe"
TRAFILATURA = "trafilatura"
FIELDS = ("headline", "authors", "day")
FIELD_LABELS = {"headline": "headline", "authors": "authors", "day": "publication day"}

# Typographic variants a reader takes for the same character, folded before comparing.
TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})  # fmt: skip
SPACES_RE = re.compile(r"\s+")
AUTHOR_SEPARATOR_RE = re.compile(r"\s*(?:[,;&]|\band\b)\s*")
LEADING_BY_RE = re.compile(r"^by\s+")
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Truth:
    headline: str | None
    authors: str | None
    day: str | None


@dataclass(frozen=True)
class Metadata:
    """One extractor's values for a page, as it gave them (compared only through the helpers below)."""

    headline: str | None
    authors: list[str]
    date: str | None


@dataclass
class Result:
    extractor: str
    pages_per_second: float
    per_page: dict[str, Metadata] = field(default_factory=dict)


Extractor = Callable[[str, str], Metadata]


# --- matching --------------------------------------------------------------------------------------------


def _strip_punctuation(text: str) -> str:
    """Punctuation (quotes included) and spaces around the whole, by Unicode category."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or unicodedata.category(text[start]).startswith("P")):
        start += 1
    while end > start and (text[end - 1].isspace() or unicodedata.category(text[end - 1]).startswith("P")):
        end -= 1
    return text[start:end]


def normalise_title(text: str | None) -> str:
    """NFKC, straight quotes and dashes, case folded, single spaces, no punctuation around the whole."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).translate(TYPOGRAPHY).casefold()
    return _strip_punctuation(SPACES_RE.sub(" ", folded))


def split_authors(names: str | Sequence[str] | None) -> frozenset[str]:
    """Normalised names from a joined string or a list, split on ``,`` ``;`` ``&`` and ``and`` either way."""
    if not names:
        return frozenset()
    pieces = [names] if isinstance(names, str) else list(names)
    found = set()
    for piece in pieces:
        for name in AUTHOR_SEPARATOR_RE.split(normalise_title(piece)):
            name = _strip_punctuation(LEADING_BY_RE.sub("", _strip_punctuation(name)))
            if name:
                found.add(name)
    return frozenset(found)


def calendar_day(value: str | None) -> str | None:
    """``YYYY-MM-DD`` as written at the start of an ISO 8601 date or date-time; the offset is not applied."""
    if not value:
        return None
    day = value.strip()[:10]
    return day if DAY_RE.fullmatch(day) else None


def headline_matches(extracted: str | None, truth: str) -> bool:
    return bool(extracted) and normalise_title(extracted) == normalise_title(truth)


def authors_match(extracted: Sequence[str], truth: str) -> bool:
    return bool(extracted) and split_authors(extracted) == split_authors(truth)


def day_matches(extracted: str | None, truth: str) -> bool:
    day = calendar_day(extracted)
    return day is not None and day == truth.strip()


def is_correct(field_name: str, metadata: Metadata, truth: Truth) -> bool:
    if field_name == "headline":
        return headline_matches(metadata.headline, truth.headline or "")
    if field_name == "authors":
        return authors_match(metadata.authors, truth.authors or "")
    return day_matches(metadata.date, truth.day or "")


def truth_value(field_name: str, truth: Truth) -> str | None:
    """The true value of a field, or None when the page is not counted for it (missing, null or blank)."""
    value = {"headline": truth.headline, "authors": truth.authors, "day": truth.day}[field_name]
    return value if value and value.strip() else None


# --- extractors ------------------------------------------------------------------------------------------


def ours(html: str, url: str) -> Metadata:
    article = extract(html, url, "generic")
    return Metadata(article.headline, list(article.authors), article.date_published)


def theirs(html: str, url: str) -> Metadata:
    """trafilatura 2.x returns a Document (1.x a dict); its ``author`` joins several names with ``; ``."""
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if document is None:
        return Metadata(None, [], None)
    values = document if isinstance(document, dict) else document.as_dict()  # a slotted class: no vars()
    author = values.get("author")
    return Metadata(values.get("title"), [author] if author else [], values.get("date"))


def choose_extractors(only_ours: bool) -> list[tuple[str, Extractor]]:
    """newsframe always; trafilatura when wanted and installed (one line says when it is not)."""
    extractors: list[tuple[str, Extractor]] = [(NEWSFRAME, ours)]
    if only_ours:
        return extractors
    if not trafilatura_available():
        print("trafilatura is not installed (pip install -e '.[benchmark]'): scoring newsframe only", file=sys.stderr)
        return extractors
    return extractors + [(TRAFILATURA, theirs)]


# --- loading ---------------------------------------------------------------------------------------------


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = ", ".join(item for item in value if isinstance(item, str))
    return value if isinstance(value, str) else None


def read_truth(folder: Path, page_id: str) -> Truth:
    path = folder / "ground-truth" / f"{page_id}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataError(f"cannot read {path}: {error}") from None
    truth = entry.get("ground_truth") if isinstance(entry, dict) else None
    if not isinstance(truth, dict):
        raise DataError(f"{path} has no ground_truth object")
    return Truth(_text(truth.get("title")), _text(truth.get("author")), _text(truth.get("publish_date")))


def load(folder: Path) -> tuple[list[Page], dict[str, Truth]]:
    """The WCXB pages (html, url) and each page's metadata truth; an AEB or unknown folder is refused."""
    layout = detect_layout(folder)
    if layout != "wcxb":
        raise DataError(f"{folder} looks like a {layout.upper()} folder, not WCXB")
    pages = load_wcxb(folder)
    return pages, {page.page_id: read_truth(folder, page.page_id) for page in pages}


# --- running ---------------------------------------------------------------------------------------------


def evaluate(name: str, extractor: Extractor, pages: Sequence[Page]) -> Result:
    """Each page once, timed call by call; the progress line moves between calls, outside the timing."""
    per_page: dict[str, Metadata] = {}
    seconds = 0.0
    with Progress(f"metadata_accuracy: {name}", len(pages)) as progress:
        for page in pages:
            started = time.perf_counter()
            per_page[page.page_id] = extractor(page.html, page.url)
            seconds += time.perf_counter() - started
            progress.advance()
    return Result(name, len(pages) / max(seconds, 1e-9), per_page)


def counted(field_name: str, truths: dict[str, Truth]) -> list[str]:
    """The pages whose truth has the field, in id order."""
    return sorted(page_id for page_id, truth in truths.items() if truth_value(field_name, truth) is not None)


def correct(field_name: str, result: Result, truths: dict[str, Truth]) -> int:
    return sum(
        is_correct(field_name, result.per_page[page_id], truths[page_id]) for page_id in counted(field_name, truths)
    )


def find(results: list[Result], extractor: str) -> Result | None:
    return next((result for result in results if result.extractor == extractor), None)


# --- printing --------------------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def print_table(results: list[Result], truths: dict[str, Truth]) -> None:
    print(f"{'field':16} {'pages':>6}" + "".join(f" {result.extractor:>13} {'%':>6}" for result in results))
    for field_name in FIELDS:
        pages = len(counted(field_name, truths))
        cells = ""
        for result in results:
            right = correct(field_name, result, truths)
            cells += f" {right:13d} {_percent(right, pages):>6}"
        print(f"{FIELD_LABELS[field_name]:16} {pages:6d}{cells}")
    speeds = "".join(f" {result.pages_per_second:13.1f} {'':6}" for result in results)
    print(f"{'pages/s':16} {len(truths):6d}{speeds}".rstrip())


def shown(field_name: str, metadata: Metadata) -> str:
    value: str | None
    if field_name == "headline":
        value = metadata.headline
    elif field_name == "authors":
        value = "; ".join(metadata.authors)
    else:
        value = metadata.date
    return repr(_clip(value)) if value else "-"


def _clip(text: str, width: int = 60) -> str:
    text = SPACES_RE.sub(" ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def print_worst(results: list[Result], truths: dict[str, Truth], count: int) -> None:
    """Per field, pages trafilatura gets right and newsframe wrong: where to look first."""
    mine, reference = find(results, NEWSFRAME), find(results, TRAFILATURA)
    if mine is None or reference is None or count <= 0:
        return
    for field_name in FIELDS:
        losses = [page_id for page_id in counted(field_name, truths)
                  if is_correct(field_name, reference.per_page[page_id], truths[page_id])
                  and not is_correct(field_name, mine.per_page[page_id], truths[page_id])]  # fmt: skip
        print()
        print(f"{FIELD_LABELS[field_name]}: trafilatura right, newsframe wrong on {len(losses)} pages"
              f"{f'; the first {count}' if len(losses) > count else ''}")  # fmt: skip
        for page_id in losses[:count]:
            truth = truth_value(field_name, truths[page_id]) or ""
            print(f"  {page_id}  truth {_clip(truth)!r}")
            print(f"  {'':{len(page_id)}}  newsframe {shown(field_name, mine.per_page[page_id])}"
                  f"  trafilatura {shown(field_name, reference.per_page[page_id])}")  # fmt: skip


# --- command line ----------------------------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--wcxb", type=Path, help="a WCXB development split folder")
    parser.add_argument("--only-ours", action="store_true", help="skip trafilatura")
    parser.add_argument(
        "--worst", type=at_least(0), default=15, help="pages listed per field where newsframe loses to trafilatura"
    )
    options = parser.parse_args(argv)
    if options.wcxb is None:
        raise DataError("no data folder given: pass --wcxb DIR; see --help")
    return options


def run(options: argparse.Namespace) -> None:
    pages, truths = load(options.wcxb)  # all read before any extraction: a bad path fails in a second
    logging.disable(logging.WARNING)
    results = [evaluate(name, extractor, pages) for name, extractor in choose_extractors(options.only_ours)]
    print_table(results, truths)
    print_worst(results, truths, options.worst)
    print()
    print(f"pages: WCXB-dev {len(pages)}; each field counted on the pages whose truth has it;"
          f" matching rules are this benchmark's own (see the docstring)")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0; 2 with one line on stderr for a bad data folder or a reader that closed the pipe early."""
    return run_command("metadata_accuracy", lambda: run(parse_arguments(argv)))


if __name__ == "__main__":
    sys.exit(main())
