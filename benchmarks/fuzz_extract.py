"""Fuzzing ``extract``: N generated pages, seeded, and every exception that escapes counted.

Run: ``python benchmarks/fuzz_extract.py [--count 100000] [--seed 1]``.
Prints inputs per second, crashes (0 expected) and the seed; exit status 1
if anything crashed, 2 with one line on stderr for a bad argument.  In a
terminal, a progress line on stderr counts the inputs and crashes so far.  Input ``i`` is made by ``random.Random(f"{seed}:{i}")``
alone, so ``--only i`` makes the same page again to reproduce a crash.

The pages are random HTML trees (the tags, classes and attributes the site
rules and the generic finder look at) of text in Latin, Arabic, Persian with
ZWNJ and CJK, with odd characters (NUL, lone surrogates, bidi controls,
entities), JSON-LD of random shape, metadata and dates in every script;
then some are mutated: cut off anywhere, bytes flipped, encoded in a legacy
charset, nested thousands deep, given a megabyte attribute, or replaced by
random bytes.  Each goes through every site's rules in turn.  The
hypothesis property tests (``tests/**/test_*_properties.py``) explore the
same space with shrinking; this is the long, cheap run.
"""

from __future__ import annotations

import json
import logging
import random
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # cli, also when this file is imported from its path

from cli import ArgumentParser, Progress, at_least, run_command

from crawler.extraction import extract

SITES = {
    "generic": "https://unknown.example/news/2021/10/18/story",
    "almayadeen": "https://english.almayadeen.net/news/politics/some-story",
    "aljazeera": "https://www.aljazeera.net/news/politics/2021/10/18/story",
    "sadaelbalad": "https://see.news/some-story",
    "persian_aggregator": "https://www.parsinews.ir/fa/news/123456/story",
}
WORDS = [
    "Moscow",
    "said",
    "the",
    "minister",
    "on",
    "Monday",
    "NATO",
    "office",
    "résumé",
    "naïve",
    "قال",
    "وزير",
    "الخارجية",
    "الروسي",
    "إن",
    "موسكو",
    "علّقت",
    "عمل",
    "مكتب",
    "الناتو",
    "٢٠٢١",
    "وزیر",
    "امور",
    "خارجه",
    "روسیه",
    "می\u200cگوید",
    "نمی\u200cخواهد",
    "خبرگزاری\u200cها",
    "۱۴۰۰",
    "مهر",
    "俄罗斯",
    "外交部长",
    "北约",
    "办公室",
    "表示",
    "ニュース",
    "기사",
]
ODD = [
    "\x00",
    "\ud800",
    "\udfff",
    "\u200b",
    "\u200e",
    "\u202e",
    "\ufeff",
    "\xa0",
    "\u200c",
    "\u200d",
    "&amp;",
    "&lt;",
    "&#0;",
    "&#xD800;",
    "&nbsp;",
    "<",
    ">",
    "\n",
    "\t",
    "\r\n",
    "\ufffd",
    "\U0001f600",
    '"',
    "'",
    "</p",
]
DATES = [
    "2021-10-18T16:51:00+03:00",
    "18 Oct 2021 16:51",
    "Mon, 18 Oct 2021 13:51:00 +0000",
    "18/10/2021",
    "Thu 23 Sep 2021 | 01:19 PM",
    "١٨ أكتوبر/ تشرين الأول ٢٠٢١",
    "27 مهر 1400",
    "۱۴۰۰/۰۷/۲۷ ۱۵:۴۴",
    "32 مهر 1400",
    "9999-99-99",
    "0000-00-00T25:61",
    "99999999999999999999",
    "",
]
TAGS = [
    "p",
    "div",
    "span",
    "article",
    "section",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "figure",
    "figcaption",
    "a",
    "b",
    "i",
    "time",
    "pre",
    "br",
    "hr",
    "img",
    "iframe",
    "video",
    "source",
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "svg",
    "center",
    "font",
    "x-custom",
    "select",
    "dd",
    "dl",
]
CLASSES = [
    "article-header",
    "title",
    "p-content",
    "entry-content",
    "entry-title",
    "entry-meta",
    "news-page",
    "news-body",
    "news-title",
    "wysiwyg",
    "main-title",
    "twitter-tweet",
    "instagram-media",
    "share",
    "related",
    "advertisement",
    "post-thumbnail",
    "byline",
    "author",
    "tags-links",
    "entry-date published",
    "content",
    "story",
    "comment",
    "sidebar",
    "sharedaddy",
]
ATTRIBUTES = [
    "class",
    "id",
    "src",
    "href",
    "data-src",
    "alt",
    "style",
    "lang",
    "hidden",
    "itemprop",
    "datetime",
    "rel",
    "title",
    "data-instgrm-permalink",
    "dir",
]
URLS = [
    "https://example.com/x.jpg",
    "/relative?utm_source=x",
    "http://[::1",
    "http://[x]/",
    "//[",
    "data:,x",
    "javascript:void(0)",
    "https://twitter.com/a/status/1",
    "",
    "https://www.youtube.com/embed/x",
    "\x00",
]
JSON_KEYS = [
    "@type",
    "@id",
    "@graph",
    "headline",
    "name",
    "author",
    "datePublished",
    "dateModified",
    "image",
    "url",
    "keywords",
    "articleBody",
    "articleSection",
    "identifier",
    "inLanguage",
    "mainEntityOfPage",
]
META = [
    "og:title",
    "og:description",
    "article:published_time",
    "article:modified_time",
    "og:image",
    "article:tag",
    "keywords",
    "author",
    "og:url",
    "og:locale",
    "description",
]
LEGACY = ["cp1256", "cp1252", "latin-1", "utf-16", "utf-16-be", "koi8-r", "shift_jis"]


def text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(20)))
    pool = WORDS * 4 + ODD + DATES
    return rng.choice([" ", "", "\u200c"]).join(rng.choice(pool) for _ in range(rng.randrange(40)))


def element(rng: random.Random, depth: int = 0) -> str:
    if depth > 6 or rng.random() < 0.3:
        return text(rng)
    tag = rng.choice(TAGS)
    attributes = ""
    for _ in range(rng.randrange(4)):
        value = rng.choice([rng.choice(CLASSES), rng.choice(URLS), text(rng)])
        attributes += f' {rng.choice(ATTRIBUTES)}="{value.replace(chr(34), "&quot;")}"'
    inner = "".join(element(rng, depth + 1) for _ in range(rng.randrange(5)))
    return f"<{tag}{attributes}>{inner}</{tag}>" if rng.random() < 0.9 else f"<{tag}{attributes}>{inner}"


def json_value(rng: random.Random, depth: int = 0) -> object:
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice([None, True, 5, 1.5, text(rng), rng.choice(DATES), rng.choice(URLS)])
    if roll < 0.7:
        return [json_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    value = {rng.choice(JSON_KEYS): json_value(rng, depth + 1) for _ in range(rng.randrange(6))}
    if rng.random() < 0.5:
        value["@type"] = rng.choice(["NewsArticle", "Article", ["NewsArticle"], 5, None])
    return value


def head(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randrange(5)):
        roll = rng.random()
        if roll < 0.4:
            parts.append(f'<meta property="{rng.choice(META)}" content="{rng.choice([text(rng), rng.choice(DATES)])}">')
        elif roll < 0.8:
            payload = json.dumps(json_value(rng))
            if rng.random() < 0.2:
                payload = payload[: rng.randrange(len(payload) + 1)]
            parts.append(f'<script type="application/ld+json">{payload}</script>')
        else:
            parts.append(f'<link rel="canonical" href="{rng.choice(URLS)}">')
    return "".join(parts)


def page(rng: random.Random) -> str | bytes:
    """One generated input: a page, possibly mutated into something worse."""
    lang = rng.choice(["", ' lang="en"', ' lang="ar"', ' lang="fa-IR"', ' lang="\x00"'])
    body = "".join(element(rng) for _ in range(rng.randrange(1, 6)))
    html = f"<!DOCTYPE html><html{lang}><head>{head(rng)}</head><body>{body}</body></html>"
    roll = rng.random()
    if roll < 0.15:
        return html[: rng.randrange(len(html) + 1)]
    if roll < 0.25:
        data = bytearray(html.encode("utf-8", "surrogatepass"))
        for _ in range(rng.randrange(1, 20)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if roll < 0.32:
        return html.encode(rng.choice(LEGACY), "replace")
    if roll < 0.36:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(2000)))
    if roll < 0.38:
        tag = rng.choice(["div", "span", "b", "section", "li", "a", "font", "x-custom", "table"])
        depth = rng.randrange(1000, 10_001)
        return f"<{tag}>" * depth + body + f"</{tag}>" * rng.choice([0, depth])
    if roll < 0.39:
        return f'<div class="entry-content"><img src="/{"x" * rng.randrange(1, 3_000_000)}.jpg">{body}</div>'
    return html


def run(count: int, seed: int, only: int | None, show: int) -> int:
    crashes = 0
    indices = [only] if only is not None else range(count)
    started = time.perf_counter()
    with Progress("fuzz_extract", len(indices), "inputs") as progress:
        for index in indices:
            rng = random.Random(f"{seed}:{index}")
            html = page(rng)
            site = list(SITES)[index % len(SITES)]
            try:
                extract(html, SITES[site], site)
            except Exception:  # noqa: BLE001 - counting every escape is the point
                crashes += 1
                if crashes <= show:
                    progress.clear()
                    print(f"crash on input {index} (site {site}); reproduce with --seed {seed} --only {index}")
                    traceback.print_exc(limit=-4)
            progress.advance(note=f"{crashes} crash{'es' if crashes != 1 else ''}")
    elapsed = time.perf_counter() - started
    total = len(indices)
    print(
        f"inputs {total}  seed {seed}  crashes {crashes}  {total / max(elapsed, 1e-9):.0f} inputs/s  ({elapsed:.1f} s)"
    )
    return crashes


def fuzz(argv: list[str] | None) -> int:
    """Exit status 1 if anything crashed, else 0."""
    parser = ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=at_least(1), default=100_000, help="generated inputs (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="the run's seed (default 1)")
    parser.add_argument(
        "--only", type=at_least(0), help="make and extract input number ONLY alone, to reproduce a crash"
    )
    parser.add_argument("--show", type=at_least(0), default=5, help="tracebacks printed at most (default 5)")
    options = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # odd input logs on purpose; the count is the output
    return 1 if run(options.count, options.seed, options.only, options.show) else 0


def main(argv: list[str] | None = None) -> int:
    """Exit 0, 1 if anything crashed, 2 with one line on stderr for a bad argument or a closed pipe."""
    return run_command("fuzz_extract", lambda: fuzz(argv))


if __name__ == "__main__":
    sys.exit(main())
