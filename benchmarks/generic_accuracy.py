"""Accuracy and speed of the generic extractor next to trafilatura's, on a public benchmark.

Run: ``python benchmarks/generic_accuracy.py BENCHMARK_DIR`` where the folder
holds ``html/<id>.html.gz`` and ``ground-truth.json`` (the Scrapinghub/Zyte
article-extraction benchmark).  trafilatura is needed only here:
``pip install -e '.[benchmark]'``.

Scoring, as the benchmark defines it: for each page, the extracted body and
the true body are split into lower-cased ``\\w+`` words; their 4-word
shingles are counted as multisets; precision = shared / extracted, recall =
shared / true (an empty extraction of a non-empty truth scores 0 and 0).
Precision and recall are averaged over all pages, and F1 is computed from
the two averages.  Speed is pages per second over the fastest of ``--repeat``
passes (5 by default, as timeit), the least disturbed by whatever else the machine runs.
Prints figures; asserts nothing.

``--held-out`` also scores both extractors, with the same metric, on the
project's own stored article pages (``snapshots/``), against the bodies a
person pinned for them: pages the generic extractor was never tuned on,
from Arabic, Persian and English sites.
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.casefiles import iter_cases  # noqa: E402
from crawler.extract import extract  # noqa: E402

WORD_RE = re.compile(r"\w+")


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    words = WORD_RE.findall(text.lower())
    return Counter(tuple(words[index : index + size]) for index in range(len(words) - size + 1))


def score(extracted: str, truth: str) -> tuple[float, float]:
    got, want = shingles(extracted), shingles(truth)
    if not want:
        return (1.0, 1.0) if not got else (0.0, 1.0)
    if not got:
        return 0.0, 0.0
    shared = sum((got & want).values())
    return shared / sum(got.values()), shared / sum(want.values())


def ours(html: str, url: str) -> str:
    return extract(html, url, "generic").body or ""


def trafilatura_precision(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, favor_precision=True) or ""


def evaluate(
    name: str, extractor: Callable[[str, str], str], pages: list[tuple[str, str, str]], repeat: int = 1
) -> dict[str, float]:
    """Scores from the first pass; speed from the fastest of ``repeat`` passes (as timeit does)."""
    precisions, recalls = [], []
    for html, url, truth in pages:
        precision, recall = score(extractor(html, url), truth)
        precisions.append(precision)
        recalls.append(recall)
    seconds = min(_timed_pass(lambda html, url: extractor(html, url), pages) for _ in range(repeat))
    precision, recall = sum(precisions) / len(pages), sum(recalls) / len(pages)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"name": name, "f1": f1, "precision": precision, "recall": recall, "pages_per_second": len(pages) / seconds}


def _timed_pass(work: Callable[[str, str], object], pages: list[tuple[str, str, str]]) -> float:
    started = time.perf_counter()
    for html, url, _ in pages:
        work(html, url)
    return time.perf_counter() - started


def parse_speed(pages: list[tuple[str, str, str]], repeat: int = 1) -> float:
    from selectolax.lexbor import LexborHTMLParser

    return len(pages) / min(_timed_pass(lambda html, url: LexborHTMLParser(html), pages) for _ in range(repeat))


def load(folder: Path) -> list[tuple[str, str, str]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(truth.items()):
        html = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append((html, entry.get("url") or "", entry.get("articleBody") or ""))
    return pages


def load_snapshot_articles(root: Path) -> list[tuple[str, str, str]]:
    """The project's own article pages with a pinned body: (html, url, body)."""
    pages = []
    for case in iter_cases(root):
        if case.kind != "article" or case.page_path is None or not case.expected_path.is_file():
            continue
        body = json.loads(case.expected_path.read_text(encoding="utf-8")).get("body")
        if body:
            pages.append((case.page_text(), case.url, body))
    return pages


def print_table(title: str, results: list[dict[str, float]]) -> None:
    print(title)
    print(f"{'extractor':32} {'F1':>6} {'precision':>9} {'recall':>7} {'pages/s':>8}")
    for result in results:
        print(f"{result['name']:32} {result['f1']:6.3f} {result['precision']:9.3f} {result['recall']:7.3f}"
              f" {result['pages_per_second']:8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", type=Path, help="folder with html/ and ground-truth.json")
    parser.add_argument("--only-ours", action="store_true", help="skip trafilatura")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per extractor; the fastest counts")
    parser.add_argument("--held-out", action="store_true", help="also score the project's own snapshot pages")
    options = parser.parse_args()
    logging.disable(logging.WARNING)
    pages = load(options.benchmark)
    results = [evaluate("newsframe generic", ours, pages, options.repeat)]
    parse_rate = parse_speed(pages, options.repeat)
    if not options.only_ours:
        results.append(evaluate("trafilatura (favor_precision)", trafilatura_precision, pages, options.repeat))
    print_table(f"{len(pages)} pages from {options.benchmark}", results)
    print(f"{'selectolax parse alone':32} {'':6} {'':9} {'':7} {parse_rate:8.0f}")
    print(f"newsframe generic costs {parse_rate / results[0]['pages_per_second']:.1f}x a bare parse")
    if len(results) == 2:
        mine, theirs = results
        print(f"ratios (ours / trafilatura): F1 {mine['f1'] / theirs['f1']:.3f},"
              f" speed {mine['pages_per_second'] / theirs['pages_per_second']:.1f}x")
    if options.held_out:
        held_out = load_snapshot_articles(ROOT / "snapshots")
        extractors = [("newsframe generic", ours)]
        if not options.only_ours:
            extractors.append(("trafilatura (favor_precision)", trafilatura_precision))
        print()
        print_table(f"held out: {len(held_out)} article pages of the project's own snapshots (en, ar, fa)",
                    [evaluate(name, extractor, held_out, options.repeat) for name, extractor in extractors])


if __name__ == "__main__":
    main()
