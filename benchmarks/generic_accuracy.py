"""Accuracy and speed of the generic extractor next to trafilatura's, on public benchmarks.

Run::

    python benchmarks/generic_accuracy.py --aeb AEB_DIR --wcxb WCXB_DIR [--held-out] [--worst 15]
    python benchmarks/generic_accuracy.py DIR [DIR ...]     # layout detected from each folder

Two data sets are understood, each read only from a folder named on the command line:

- AEB, the Scrapinghub/Zyte article-extraction benchmark: ``html/<id>.html.gz`` and one
  ``ground-truth.json`` (``articleBody``, ``url`` per id).
- WCXB, the development split of the Web Content eXtraction Benchmark: ``html/<id>.html.gz``,
  ``ground-truth/<id>.json`` (``ground_truth.main_content``, ``url``) and optionally ``metadata.json``
  (``files.<id>.domain``).

Each data set is scored with its own published metric, so figures stay comparable with what others report:

- AEB: the extracted and the true body are split into lower-cased ``\\w+`` words; their 4-word shingles
  are counted as multisets; precision = shared / extracted, recall = shared / true (an empty extraction
  of a non-empty truth scores 0 and 0).  Precision and recall are averaged over all pages, and F1 is
  computed from the two averages.
- WCXB: the lower-cased ``\\w+`` words themselves are compared as multisets; F1 is computed per page
  (an empty prediction scores 0) and averaged over pages; precision and recall shown are per-page means.

Extractors: newsframe generic, and trafilatura (``pip install -e '.[benchmark]'``) in its default mode
and with ``favor_precision``; both trafilatura runs leave comments out, so the two differ only by that flag.
Without trafilatura, newsframe alone is scored.

Speed is pages per second over the fastest of ``--repeat`` passes (5 by default, as timeit), the least
disturbed by whatever else the machine runs.  A *collapse* is a page where an extractor scores F1 < 0.2
while trafilatura's default scores >= 0.8: the failures worth studying first.  After the table, the
``--worst`` pages where newsframe loses most to trafilatura's default are listed per data set.
Prints figures; asserts nothing.

Under each data set's rows, the paths by which newsframe found the bodies are counted (the crawl stats'
``extract/generic_path/<path>``): ``main``, ``densest_run`` (the fallback), ``json_ld`` or ``none``.

``--held-out`` also scores the extractors, with the AEB metric, on the project's own stored article pages
(``snapshots/``), against the bodies a person pinned for them: pages the generic extractor was never
tuned on, from Arabic, Persian and English sites.

A missing or unrecognised folder, or a bad argument, is one line on stderr and exit status 2.  In a terminal,
a progress line on stderr shows how far each extractor is.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli import (
    ArgumentParser,
    DataError,
    Progress,
    at_least,
    run_command,
    trafilatura_available,
)

from crawler.extraction import extract, extract_with_provenance
from crawler.tools.casefiles import iter_cases

WORD_RE = re.compile(r"\w+")
COLLAPSE_BELOW = 0.2  # an extractor's page F1 under this ...
REFERENCE_AT_LEAST = 0.8  # ... while trafilatura's default reaches this, is a collapse
NEWSFRAME = "newsframe generic"
TRAFILATURA_DEFAULT = "trafilatura (default)"
TRAFILATURA_PRECISION = "trafilatura (favor_precision)"

Extractor = Callable[[str, str], str]


@dataclass(frozen=True)
class Page:
    page_id: str
    url: str
    domain: str
    html: str
    truth: str


@dataclass(frozen=True)
class PageScore:
    precision: float
    recall: float
    f1: float


@dataclass
class DataSet:
    """Pages plus the way their benchmark scores a page and averages pages (each set keeps its own)."""

    name: str
    pages: list[Page]
    score_page: Callable[[str, str], PageScore]
    average: Callable[[Sequence[PageScore]], PageScore]


@dataclass
class Result:
    data_set: str
    extractor: str
    overall: PageScore
    pages_per_second: float
    per_page: dict[str, PageScore] = field(default_factory=dict)


# --- metrics ---------------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = words(text)
    return Counter(tuple(tokens[index : index + size]) for index in range(len(tokens) - size + 1))


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(extracted: str, truth: str) -> tuple[float, float]:
    """AEB's per-page (precision, recall) on 4-word shingles; kept as the benchmark defines it."""
    got, want = shingles(extracted), shingles(truth)
    if not want:
        return (1.0, 1.0) if not got else (0.0, 1.0)
    if not got:
        return 0.0, 0.0
    shared = sum((got & want).values())
    return shared / sum(got.values()), shared / sum(want.values())


def aeb_page_score(extracted: str, truth: str) -> PageScore:
    precision, recall = score(extracted, truth)
    return PageScore(precision, recall, _f1(precision, recall))


def aeb_average(scores: Sequence[PageScore]) -> PageScore:
    """AEB averages precision and recall over pages first, then takes F1 of the two means."""
    precision = sum(item.precision for item in scores) / len(scores)
    recall = sum(item.recall for item in scores) / len(scores)
    return PageScore(precision, recall, _f1(precision, recall))


def wcxb_page_score(extracted: str, truth: str) -> PageScore:
    """WCXB's word-bag F1: an empty prediction scores 0, whatever the truth."""
    got, want = Counter(words(extracted)), Counter(words(truth))
    if not got or not want:
        return PageScore(0.0, 0.0, 0.0)
    shared = sum((got & want).values())
    precision, recall = shared / sum(got.values()), shared / sum(want.values())
    return PageScore(precision, recall, _f1(precision, recall))


def wcxb_average(scores: Sequence[PageScore]) -> PageScore:
    """WCXB reports the mean of per-page F1 (not F1 of mean precision and recall)."""
    count = len(scores)
    return PageScore(sum(item.precision for item in scores) / count, sum(item.recall for item in scores) / count,
                     sum(item.f1 for item in scores) / count)  # fmt: skip


# --- extractors ------------------------------------------------------------------------------------------


def ours(html: str, url: str) -> str:
    return extract(html, url, "generic").body or ""


def trafilatura_default(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False) or ""


def trafilatura_precision(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, favor_precision=True) or ""


def choose_extractors(only_ours: bool) -> list[tuple[str, Extractor]]:
    """newsframe always; trafilatura's two modes when wanted and installed (one line says when it is not)."""
    extractors: list[tuple[str, Extractor]] = [(NEWSFRAME, ours)]
    if only_ours:
        return extractors
    if not trafilatura_available():
        print("trafilatura is not installed (pip install -e '.[benchmark]'): scoring newsframe only",
              file=sys.stderr)  # fmt: skip
        return extractors
    return extractors + [(TRAFILATURA_DEFAULT, trafilatura_default), (TRAFILATURA_PRECISION, trafilatura_precision)]


# --- loading ---------------------------------------------------------------------------------------------


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataError(f"cannot read {path}: {error}") from None


def _read_html(folder: Path, page_id: str) -> str:
    path = folder / "html" / f"{page_id}.html.gz"
    try:
        return gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise DataError(f"cannot read {path}: {error}") from None


def _domain(url: str) -> str:
    return urlsplit(url).hostname or ""


def detect_layout(folder: Path) -> str:
    """'aeb' or 'wcxb', from the files present, so a folder can be passed without saying which it is."""
    if not folder.is_dir():
        raise DataError(f"no such data folder: {folder}")
    if not (folder / "html").is_dir():
        raise DataError(f"{folder} has no html/ folder: not an AEB or WCXB benchmark folder")
    if (folder / "ground-truth.json").is_file():
        return "aeb"
    if (folder / "ground-truth").is_dir():
        return "wcxb"
    raise DataError(f"{folder} has neither ground-truth.json (AEB) nor ground-truth/ (WCXB)")


def load_aeb(folder: Path) -> list[Page]:
    truth = _read_json(folder / "ground-truth.json")
    if not isinstance(truth, dict) or not truth:
        raise DataError(f"{folder / 'ground-truth.json'} holds no pages")
    pages = []
    for page_id, entry in sorted(truth.items()):
        url = entry.get("url") or ""
        pages.append(Page(page_id, url, _domain(url), _read_html(folder, page_id), entry.get("articleBody") or ""))
    return pages


def load_wcxb(folder: Path) -> list[Page]:
    metadata = _read_json(folder / "metadata.json") if (folder / "metadata.json").is_file() else {}
    domains = metadata.get("files", {}) if isinstance(metadata, dict) else {}
    pages = []
    for truth_path in sorted((folder / "ground-truth").glob("*.json")):
        page_id = truth_path.stem
        entry = _read_json(truth_path)
        if not isinstance(entry, dict) or not isinstance(entry.get("ground_truth"), dict):
            raise DataError(f"{truth_path} has no ground_truth object")
        url = entry.get("url") or ""
        domain = (domains.get(page_id) or {}).get("domain") or _domain(url)
        truth = entry["ground_truth"].get("main_content") or ""
        pages.append(Page(page_id, url, domain, _read_html(folder, page_id), truth))
    if not pages:
        raise DataError(f"{folder / 'ground-truth'} holds no <id>.json files")
    return pages


def load_data_set(folder: Path, expected: str | None = None) -> DataSet:
    """The folder's pages with its benchmark's metric; ``expected`` rejects e.g. an AEB folder given to --wcxb."""
    layout = detect_layout(folder)
    if expected and layout != expected:
        raise DataError(f"{folder} looks like a {layout.upper()} folder, not {expected.upper()}")
    if layout == "aeb":
        return DataSet("AEB", load_aeb(folder), aeb_page_score, aeb_average)
    return DataSet("WCXB-dev", load_wcxb(folder), wcxb_page_score, wcxb_average)


def load_snapshot_articles(root: Path) -> list[Page]:
    """The project's own article pages with a pinned body."""
    pages = []
    for case in iter_cases(root):
        if case.kind != "article" or case.page_path is None or not case.expected_path.is_file():
            continue
        body = json.loads(case.expected_path.read_text(encoding="utf-8")).get("body")
        if body:
            pages.append(Page(case.url, case.url, _domain(case.url), case.page_text(), body))
    return pages


# --- running ---------------------------------------------------------------------------------------------


def _timed_pass(work: Callable[[str, str], object], pages: Iterable[Page]) -> float:
    started = time.perf_counter()
    for page in pages:
        work(page.html, page.url)
    return time.perf_counter() - started


def evaluate(name: str, extractor: Extractor, data_set: DataSet, repeat: int = 1) -> Result:
    """Scores from the first pass, which is also timed, so ``--repeat 1`` extracts each page only once.

    The progress line moves between pages, outside the timed calls, and between the repeated passes.
    """
    per_page: dict[str, PageScore] = {}
    seconds = 0.0
    count = len(data_set.pages)
    with Progress(f"generic_accuracy: {data_set.name}, {name}", count * repeat) as progress:
        for page in data_set.pages:
            started = time.perf_counter()
            extracted = extractor(page.html, page.url)
            seconds += time.perf_counter() - started
            per_page[page.page_id] = data_set.score_page(extracted, page.truth)
            progress.advance()
        for _ in range(repeat - 1):
            seconds = min(seconds, _timed_pass(extractor, data_set.pages))
            progress.advance(count)
    overall = data_set.average(list(per_page.values()))
    return Result(data_set.name, name, overall, len(data_set.pages) / max(seconds, 1e-9), per_page)


def body_paths(pages: Iterable[Page]) -> Counter[str]:
    """How often each path of the generic finder gave the body (``main``, ``densest_run``, ``json_ld``, ``none``)."""
    paths: Counter[str] = Counter()
    pages = list(pages)
    with Progress("generic_accuracy: body paths", len(pages)) as progress:
        for page in pages:
            paths[extract_with_provenance(page.html, page.url, "generic").generic_path or "site"] += 1
            progress.advance()
    return paths


def parse_speed(pages: list[Page], repeat: int = 1) -> float:
    """A bare selectolax parse of the same pages: the floor newsframe's speed is measured against."""
    from selectolax.lexbor import LexborHTMLParser

    seconds = min(_timed_pass(lambda html, url: LexborHTMLParser(html), pages) for _ in range(max(repeat, 1)))
    return len(pages) / max(seconds, 1e-9)


def collapses(result: Result, reference: Result | None) -> list[str] | None:
    """Pages ``result`` gets (nearly) wrong where trafilatura's default gets them right; None without it."""
    if reference is None:
        return None
    return [page_id for page_id, page in result.per_page.items()
            if page.f1 < COLLAPSE_BELOW and reference.per_page[page_id].f1 >= REFERENCE_AT_LEAST]  # fmt: skip


def find(results: list[Result], extractor: str) -> Result | None:
    return next((result for result in results if result.extractor == extractor), None)


# --- printing --------------------------------------------------------------------------------------------

HEADER = f"{'data set':10} {'extractor':30} {'F1':>6} {'precision':>9} {'recall':>7} {'pages/s':>8} {'collapses':>9}"


def format_row(result: Result, collapsed: list[str] | None) -> str:
    count = "-" if collapsed is None or result.extractor == TRAFILATURA_DEFAULT else str(len(collapsed))
    overall = result.overall
    return (f"{result.data_set:10} {result.extractor:30} {overall.f1:6.3f} {overall.precision:9.3f}"
            f" {overall.recall:7.3f} {result.pages_per_second:8.0f} {count:>9}")  # fmt: skip


def print_data_set(data_set: DataSet, results: list[Result], parse_rate: float | None) -> None:
    reference = find(results, TRAFILATURA_DEFAULT)
    for result in results:
        print(format_row(result, collapses(result, reference)))
    if parse_rate is not None:
        print(f"{data_set.name:10} {'selectolax parse alone':30} {'':6} {'':9} {'':7} {parse_rate:8.0f}")


def print_worst(data_set: DataSet, results: list[Result], count: int) -> None:
    """The pages where newsframe trails trafilatura's default most: where to look first."""
    mine, theirs = find(results, NEWSFRAME), find(results, TRAFILATURA_DEFAULT)
    if mine is None or theirs is None or count <= 0:
        return
    pages = {page.page_id: page for page in data_set.pages}
    losses = sorted(((theirs.per_page[page_id].f1 - score.f1, page_id) for page_id, score in mine.per_page.items()),
                    key=lambda item: (-item[0], item[1]))  # fmt: skip
    losses = [(loss, page_id) for loss, page_id in losses if loss > 0][:count]
    print()
    print(f"{data_set.name}: {len(losses)} pages where newsframe loses most to trafilatura (default)")
    print(f"{'id':16} {'newsframe':>9} {'trafilat.':>9}  domain / url")
    for _, page_id in losses:
        page = pages[page_id]
        place = page.url or page.domain
        print(f"{page_id[:16]:16} {mine.per_page[page_id].f1:9.3f} {theirs.per_page[page_id].f1:9.3f}  {place}")
    collapsed = collapses(mine, theirs) or []
    print(f"{data_set.name}: newsframe collapses (F1 < {COLLAPSE_BELOW} where trafilatura default >= "
          f"{REFERENCE_AT_LEAST}): {len(collapsed)}{': ' if collapsed else ''}{' '.join(collapsed)}")  # fmt: skip


# --- command line ----------------------------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="*", help="benchmark folders, AEB or WCXB (detected)")
    parser.add_argument("--aeb", type=Path, action="append", default=[], help="an article-extraction-benchmark folder")
    parser.add_argument("--wcxb", type=Path, action="append", default=[], help="a WCXB development split folder")
    parser.add_argument("--only-ours", action="store_true", help="skip trafilatura")
    parser.add_argument("--repeat", type=at_least(1), default=5, help="timed passes per extractor; the fastest counts")
    parser.add_argument("--worst", type=at_least(0), default=15, help="pages listed where newsframe loses most")
    parser.add_argument("--held-out", action="store_true", help="also score the project's own snapshot pages")
    return parser.parse_args(argv)


def load_requested(options: argparse.Namespace) -> list[DataSet]:
    """Every folder named, all loaded before any extraction, so a bad path fails in a second, not minutes in."""
    requested = [(folder, None) for folder in options.folders]
    requested += [(folder, "aeb") for folder in options.aeb] + [(folder, "wcxb") for folder in options.wcxb]
    if not requested:
        raise DataError("no data folder given: pass --aeb DIR and/or --wcxb DIR (or a folder path); see --help")
    return [load_data_set(folder, expected) for folder, expected in requested]


def run(options: argparse.Namespace) -> None:
    data_sets = load_requested(options)
    logging.disable(logging.WARNING)
    extractors = choose_extractors(options.only_ours)
    print(HEADER)
    scored: list[tuple[DataSet, list[Result]]] = []
    for data_set in data_sets:
        results = [evaluate(name, extractor, data_set, options.repeat) for name, extractor in extractors]
        print_data_set(data_set, results, parse_speed(data_set.pages, options.repeat))
        paths = body_paths(data_set.pages)
        print(
            f"{data_set.name:10} newsframe body from: "
            + ", ".join(f"{path} {count}" for path, count in paths.most_common())
        )
        sys.stdout.flush()  # a long run shows each data set's rows as soon as they are known
        scored.append((data_set, results))
    if options.held_out:
        held_out = DataSet("held-out", load_snapshot_articles(ROOT / "snapshots"), aeb_page_score, aeb_average)
        print_data_set(held_out, [evaluate(name, extractor, held_out, options.repeat)
                                  for name, extractor in extractors], None)  # fmt: skip
    for data_set, results in scored:
        print_worst(data_set, results, options.worst)
    print()
    print(
        f"pages: {', '.join(f'{data_set.name} {len(data_set.pages)}' for data_set in data_sets)};"
        f" F1 is AEB's shingle metric for AEB and held-out, WCXB's per-page word-bag F1 for WCXB"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 0; 2 with one line on stderr for bad data folders or a reader that closed the pipe early."""
    return run_command("generic_accuracy", lambda: run(parse_arguments(argv)))


if __name__ == "__main__":
    sys.exit(main())
