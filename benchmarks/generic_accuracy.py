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
the two averages.  Prints figures; asserts nothing.
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


def evaluate(name: str, extractor: Callable[[str, str], str], pages: list[tuple[str, str, str]]) -> dict[str, float]:
    precisions, recalls, seconds = [], [], 0.0
    for html, url, truth in pages:
        started = time.perf_counter()
        body = extractor(html, url)
        seconds += time.perf_counter() - started
        precision, recall = score(body, truth)
        precisions.append(precision)
        recalls.append(recall)
    precision, recall = sum(precisions) / len(pages), sum(recalls) / len(pages)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"name": name, "f1": f1, "precision": precision, "recall": recall, "pages_per_second": len(pages) / seconds}


def parse_speed(pages: list[tuple[str, str, str]]) -> float:
    from selectolax.lexbor import LexborHTMLParser

    started = time.perf_counter()
    for html, _, _ in pages:
        LexborHTMLParser(html)
    return len(pages) / (time.perf_counter() - started)


def load(folder: Path) -> list[tuple[str, str, str]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(truth.items()):
        html = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append((html, entry.get("url") or "", entry.get("articleBody") or ""))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", type=Path, help="folder with html/ and ground-truth.json")
    parser.add_argument("--only-ours", action="store_true", help="skip trafilatura")
    options = parser.parse_args()
    logging.disable(logging.WARNING)
    pages = load(options.benchmark)
    results = [evaluate("newsframe generic", ours, pages)]
    parse_rate = parse_speed(pages)
    if not options.only_ours:
        results.append(evaluate("trafilatura (favor_precision)", trafilatura_precision, pages))
    print(f"{len(pages)} pages from {options.benchmark}")
    print(f"{'extractor':32} {'F1':>6} {'precision':>9} {'recall':>7} {'pages/s':>8}")
    for result in results:
        print(f"{result['name']:32} {result['f1']:6.3f} {result['precision']:9.3f} {result['recall']:7.3f}"
              f" {result['pages_per_second']:8.0f}")
    print(f"{'selectolax parse alone':32} {'':6} {'':9} {'':7} {parse_rate:8.0f}")
    print(f"newsframe generic costs {parse_rate / results[0]['pages_per_second']:.1f}x a bare parse")
    if len(results) == 2:
        mine, theirs = results
        print(f"ratios (ours / trafilatura): F1 {mine['f1'] / theirs['f1']:.3f},"
              f" speed {mine['pages_per_second'] / theirs['pages_per_second']:.1f}x")


if __name__ == "__main__":
    main()
