"""Running a spider the way a user does: ``scrapy crawl`` in a subprocess, replay settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


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


def assert_items_are_the_cases(items: list[dict[str, Any]], site: str, cases: tuple[str, ...]) -> None:
    """The crawl yielded exactly these cases' articles, each as its reviewed expected.json says."""
    expected = {expected_output(site, case)["url"]: expected_output(site, case) for case in cases}
    assert sorted(item["url"] for item in items) == sorted(expected)
    for item in items:
        assert item.pop("fetched_at").endswith("+00:00")
        assert item == expected[item["url"]]


@pytest.fixture
def replay_crawl(tmp_path: Path) -> Callable[..., CrawlResult]:
    def crawl(spider: str, *arguments: str) -> CrawlResult:
        feed = tmp_path / f"{spider}.jsonl"
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", spider, "-O", str(feed), *arguments],
            cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        text = feed.read_text(encoding="utf-8")
        assert "\\u" not in text, "the feed should hold UTF-8 text, not escapes"
        return CrawlResult(items=[json.loads(line) for line in text.splitlines()], log=result.stderr)

    return crawl
