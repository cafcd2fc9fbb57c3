"""``scrapy export`` on a store a real replayed crawl wrote.

The command runs in the test process (tests/inprocess.py), but in a real
subprocess where its stdout is a closed pipe.
"""

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.crawling import ROOT, CrawlResult
from tests.inprocess import ScrapyRun, run_scrapy


def export(*args: str) -> ScrapyRun:
    return run_scrapy("export", *args, project="replay")


def test_export_by_site_and_date(replay_crawl: Callable[..., CrawlResult], tmp_path: Path) -> None:
    store = tmp_path / "articles.sqlite"
    replay_crawl("almayadeen", store=store)
    replay_crawl("persian_aggregator", store=store)
    everything = export("--store", str(store))
    assert everything.returncode == 0, everything.stderr
    assert len(everything.stdout.splitlines()) == 5
    persian = export("--store", str(store), "--site", "persian_aggregator", "-o", str(tmp_path / "fa.jsonl"))
    lines = (tmp_path / "fa.jsonl").read_text(encoding="utf-8").splitlines()
    assert persian.returncode == 0 and len(lines) == 3
    assert all("بین\u200cالملل" in line for line in lines)
    # A date range leaves out the article whose date was impossible (it has none).
    october = export("--store", str(store), "--since", "2021-10-01", "--until", "2021-10-31")
    assert sorted(json.loads(line)["site"] for line in october.stdout.splitlines()) == [
        "almayadeen", "persian_aggregator", "persian_aggregator",
    ]  # fmt: skip


def test_export_without_a_store_is_a_clear_error(tmp_path: Path) -> None:
    result = export("--store", str(tmp_path / "none.sqlite"))
    assert result.returncode == 2 and "no store" in result.stderr and "Traceback" not in result.stderr


def test_export_to_a_missing_folder_is_one_line(replay_crawl: Callable[..., CrawlResult], tmp_path: Path) -> None:
    store = tmp_path / "articles.sqlite"
    replay_crawl("almayadeen", store=store)
    result = export("--store", str(store), "-o", "missing/dir/x.jsonl")
    assert result.returncode == 1
    assert result.stderr.startswith("export: cannot write missing/dir/x.jsonl: ")
    assert len(result.stderr.splitlines()) == 1 and not (ROOT / "missing").exists()


def test_a_closed_stdout_ends_quietly(replay_crawl: Callable[..., CrawlResult], tmp_path: Path) -> None:
    store = tmp_path / "articles.sqlite"
    replay_crawl("persian_aggregator", store=store)
    for form in ("jsonl", "csv"):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before the first line, as `| head -1` is after one
        try:
            result = subprocess.run(
                [sys.executable, "-m", "scrapy", "export", "--store", str(store), "--format", form],
                cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, stdout=write_end, stderr=subprocess.PIPE,
                text=True, timeout=120,
            )  # fmt: skip
        finally:
            os.close(write_end)
        assert result.stderr == "", form
        assert result.returncode == 141, form  # as a shell reports a writer ended by SIGPIPE


def test_export_as_csv_has_the_crawl_feeds_columns(replay_crawl: Callable[..., CrawlResult], tmp_path: Path) -> None:
    from crawler.feeds.exporters import csv_columns

    store = tmp_path / "articles.sqlite"
    replay_crawl("almayadeen", store=store)
    replay_crawl("persian_aggregator", store=store)
    to_stdout = export("--store", str(store), "--format", "csv")
    assert to_stdout.returncode == 0, to_stdout.stderr
    by_extension = export("--store", str(store), "-o", str(tmp_path / "articles.csv"))
    assert by_extension.returncode == 0, by_extension.stderr
    text = (tmp_path / "articles.csv").read_bytes().decode("utf-8")  # no BOM: FEED_EXPORT_ENCODING is utf-8
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(csv.DictReader(io.StringIO(to_stdout.stdout, newline=""))) == rows  # stdout or -o: one CSV
    assert tuple(rows[0]) == csv_columns() and len(rows) == 5
    assert not text.startswith("\ufeff") and "Image(" not in text
    persian = [row for row in rows if row["site"] == "persian_aggregator"]
    assert len(persian) == 3 and all(row["section"] == "بین\u200cالملل" for row in persian)
    lines = export("--store", str(store)).stdout.splitlines()
    assert [json.loads(line)["url"] for line in lines] == [row["url"] for row in rows]
