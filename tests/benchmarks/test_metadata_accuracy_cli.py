"""benchmarks/metadata_accuracy.py: its matching rules, and the command on a tiny synthetic WCXB folder.

The benchmark reads the shared WCXB pages for a minute; these never do.  They check the rules that decide
right from wrong (titles, author lists, the calendar day) and what a user meets first: the table with the
right counts, and a bad path or a closed pipe as one line and exit 2, not a traceback.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks.pipes import closed_pipe_stderr
from tests.benchmarks.terminal import run_in_terminal

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPT = BENCHMARKS / "metadata_accuracy.py"
sys.path.insert(0, str(BENCHMARKS))

import metadata_accuracy

BODY = (
    "The council voted on Tuesday to rebuild the old bridge across the river before winter. "
    "Engineers said the work would take four months and cost less than first feared. "
) * 4
JSON_LD = {"@context": "https://schema.org", "@type": "NewsArticle",
           "headline": "The council\u2019s bridge vote \u2014 what\u2019s next",
           "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}],
           "datePublished": "2021-03-05T01:30:00+03:00"}  # fmt: skip
# Headline, two authors and a date with an offset, from JSON-LD; typographic apostrophes and a dash.
BRIDGE = (
    f'<html><head><title>Bridge | Daily Example</title><script type="application/ld+json">{json.dumps(JSON_LD)}'
    f"</script></head><body><article><h1>{JSON_LD['headline']}</h1><p>{BODY}</p></article></body></html>"
)
# The same from meta tags; 23:10 at -05:00 is the next day in UTC, and the page's own day must still count.
FERRY = (
    '<html><head><title>Ferry times change | Daily Example</title><meta property="og:title" content="Ferry times change">'
    '<meta name="author" content="Ann Lee"><meta property="article:published_time" content="2022-07-01T23:10:00-05:00">'
    f"</head><body><article><h1>Ferry times change</h1><p>{BODY}</p></article></body></html>"
)
PAGES = {
    "0001": (
        BRIDGE,
        {
            "title": "The council's bridge vote - what's next",
            "author": "Jane Doe & John Roe",
            "publish_date": "2021-03-05",
        },
    ),
    # One author too few in newsframe's answer: wrong.
    "0002": (FERRY, {"title": "Ferry Times Change.", "author": "Ann Lee and Bo Park", "publish_date": "2022-07-01"}),
    # No truth for any field: the page is extracted but counted for none of them.
    "0003": (FERRY, {"title": "", "author": None}),
}


def make_wcxb(folder: Path) -> Path:
    (folder / "html").mkdir(parents=True)
    (folder / "ground-truth").mkdir()
    for page_id, (html, truth) in PAGES.items():
        (folder / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
        entry = {"url": f"https://news.example/{page_id}", "ground_truth": {"main_content": BODY, **truth}}
        (folder / "ground-truth" / f"{page_id}.json").write_text(json.dumps(entry), encoding="utf-8")
    return folder


def run(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, arguments)], check=False, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


# --- matching rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("extracted", "truth"), [
    ("The council\u2019s \u201cbridge\u201d vote \u2014 next", "The council's \"bridge\" vote - next"),
    ("  Bridge   VOTE\n", "bridge vote"),
    ("\u201cBridge vote.\u201d", "Bridge vote"),
    ("\uff22ridge vote", "Bridge vote"),  # NFKC: a full-width letter
])  # fmt: skip
def test_titles_equal_after_normalising(extracted: str, truth: str) -> None:
    assert metadata_accuracy.normalise_title(extracted) == metadata_accuracy.normalise_title(truth)
    assert metadata_accuracy.headline_matches(extracted, truth)


@pytest.mark.parametrize(("extracted", "truth"), [
    ("Bridge vote | Daily Example", "Bridge vote"),  # a site name appended is wrong
    ("Bridge vote", "Bridge votes"),
    (None, "Bridge vote"),
    ("", ""),  # nothing extracted is never right
])  # fmt: skip
def test_titles_that_differ(extracted: str | None, truth: str) -> None:
    assert not metadata_accuracy.headline_matches(extracted, truth)


def test_author_lists_split_alike_on_both_sides() -> None:
    names = frozenset({"jane doe", "john roe", "ann lee"})
    assert metadata_accuracy.split_authors("Jane Doe, John Roe and Ann Lee") == names
    assert metadata_accuracy.split_authors("Jane Doe; John Roe & Ann Lee") == names
    assert metadata_accuracy.split_authors(["By Jane Doe", "John Roe", "ANN  LEE"]) == names
    assert metadata_accuracy.split_authors("Sandra Anderson") == frozenset({"sandra anderson"})  # 'and' only as a word
    assert metadata_accuracy.split_authors(None) == frozenset()
    assert metadata_accuracy.authors_match(["John Roe", "Jane Doe"], "Jane Doe and John Roe")
    assert metadata_accuracy.authors_match(["Jane Doe; John Roe"], "Jane Doe & John Roe")  # trafilatura's form
    assert not metadata_accuracy.authors_match(["Jane Doe"], "Jane Doe and John Roe")
    assert not metadata_accuracy.authors_match([], "Jane Doe")


def test_day_is_the_pages_own_not_utc() -> None:
    assert metadata_accuracy.calendar_day("2021-03-05T01:30:00+03:00") == "2021-03-05"  # 2021-03-04 in UTC
    assert metadata_accuracy.day_matches("2021-03-05T01:30:00+03:00", "2021-03-05")
    assert metadata_accuracy.day_matches("2021-03-05", "2021-03-05")
    assert metadata_accuracy.day_matches("2021-03-05T22:00:00", "2021-03-05")
    assert not metadata_accuracy.day_matches("2021-03-04T23:30:00Z", "2021-03-05")
    assert not metadata_accuracy.day_matches("2021-03", "2021-03")  # coarser than a day is never a day
    assert not metadata_accuracy.day_matches(None, "2021-03-05")


# --- the command -----------------------------------------------------------------------------------------


def test_prints_the_table_with_counts(tmp_path: Path) -> None:
    done = run("--wcxb", make_wcxb(tmp_path / "wcxb"), "--only-ours", "--worst", "3")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    rows = {line[:16].strip(): line[16:].split() for line in done.stdout.splitlines()}
    assert rows["field"] == ["pages", "newsframe", "%"]
    # Page 0003 has no truth for any field: two pages counted per field, though three were extracted.
    assert rows["headline"] == ["2", "2", "100.0%"]
    assert rows["authors"] == ["2", "1", "50.0%"]
    assert rows["publication day"] == ["2", "2", "100.0%"]
    assert rows["pages/s"][0] == "3"
    assert "trafilatura" not in done.stdout.splitlines()[0]
    assert done.stderr == ""  # no progress line on a pipe


def test_shows_progress_in_a_terminal(tmp_path: Path) -> None:
    done = run_in_terminal(SCRIPT, "--wcxb", str(make_wcxb(tmp_path / "wcxb")), "--only-ours")
    assert done.returncode == 0, done.stderr
    draws = done.stderr.split("\r")
    assert "metadata_accuracy: newsframe: 1/3 pages" in draws
    assert draws[-1] == "" and draws[-2].strip() == ""
    assert done.stdout.startswith("field")


@pytest.mark.parametrize("arguments", [
    (),
    ("--wcxb", "{missing}"),
    ("--wcxb", "{empty}"),
    ("--wcxb", "{aeb}"),
])  # fmt: skip
def test_bad_or_missing_folder_is_one_line_and_exit_2(tmp_path: Path, arguments: tuple[str, ...]) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "aeb" / "html").mkdir(parents=True)
    (tmp_path / "aeb" / "ground-truth.json").write_text("{}", encoding="utf-8")
    places = {"missing": tmp_path / "missing", "empty": tmp_path / "empty", "aeb": tmp_path / "aeb"}
    done = run(*(argument.format(**places) for argument in arguments), "--only-ours")
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("metadata_accuracy: ")


def test_closed_pipe_is_one_line_and_exit_2(tmp_path: Path) -> None:
    closed_pipe_stderr(SCRIPT, "--wcxb", str(make_wcxb(tmp_path / "wcxb")), "--only-ours")
