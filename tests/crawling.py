"""Running a spider the way a user does: ``scrapy crawl`` in a subprocess, replay settings.

The ``replay_crawl`` fixture (registered in tests/conftest.py) and the helpers to read its results.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class CrawlResult:
    items: list[dict[str, Any]]
    log: str

    def stat(self, key: str) -> int | None:
        """A counter from the stats dump at the end of the log."""
        marker = f"'{key}': "
        for line in self.log.splitlines():
            if marker in line:
                return int(line.split(marker, 1)[1].rstrip(",}"))
        return None


def expected_output(site: str, case: str) -> dict[str, Any]:
    return json.loads((ROOT / "snapshots" / site / case / "expected.json").read_text(encoding="utf-8"))


#: What the pipelines add to an extracted article; snapshots pin extraction only.
PIPELINE_FIELDS = ("fetched_at", "duplicate_of", "validation_messages")


def assert_items_are_the_cases(items: list[dict[str, Any]], site: str, cases: tuple[str, ...]) -> dict[str, Any]:
    """The crawl yielded exactly these cases' articles, each as its reviewed expected.json says.

    Returns the pipeline-added fields by URL, for the caller to check.
    """
    expected = {expected_output(site, case)["url"]: expected_output(site, case) for case in cases}
    assert sorted(item["url"] for item in items) == sorted(expected)
    added = {}
    for item in items:
        added[item["url"]] = {name: item.pop(name) for name in PIPELINE_FIELDS if name in item}
        assert added[item["url"]]["fetched_at"].endswith("+00:00")
        assert item == expected[item["url"]]
    return added


def duplicate_links(added: dict[str, Any]) -> dict[str, str]:
    return {url: fields["duplicate_of"] for url, fields in added.items() if "duplicate_of" in fields}


def make_replay_crawl(tmp_path: Path) -> Callable[..., CrawlResult]:
    def crawl(spider: str, *arguments: str, store: Path | None = None) -> CrawlResult:
        feed = tmp_path / f"{spider}.jsonl"
        store = store or tmp_path / f"{spider}.sqlite"
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", spider, "-O", str(feed), "-s", f"NEWS_STORE_PATH={store}",
             *arguments],
            cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        text = feed.read_text(encoding="utf-8")
        assert "\\u" not in text, "the feed should hold UTF-8 text, not escapes"
        return CrawlResult(items=[json.loads(line) for line in text.splitlines()], log=result.stderr)

    return crawl
