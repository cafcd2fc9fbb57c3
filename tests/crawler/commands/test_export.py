"""``scrapy export`` on a store a real replayed crawl wrote."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.crawling import ROOT, CrawlResult


def export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "export", *args],
        cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


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
