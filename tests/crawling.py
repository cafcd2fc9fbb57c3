"""Running a spider the way a user does: ``scrapy crawl`` with the replay settings.

The ``replay_crawl`` fixture (registered in tests/conftest.py) and the helpers to read its results.
The crawl runs in the test process (tests/inprocess.py): the same command, without a new interpreter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.inprocess import ROOT, run_scrapy, stat_from_log


@dataclass
class CrawlResult:
    items: list[dict[str, Any]]
    log: str
    #: The crawler's own stats; ``None`` for a crawl in a subprocess, whose stats are read from its log.
    stats: dict[str, Any] | None = None

    def stat(self, key: str) -> int | None:
        """A counter of the crawl's stats (from the crawler, or from the stats dump at the end of the log)."""
        if self.stats is None:
            return stat_from_log(self.log, key)
        value = self.stats.get(key)
        return None if value is None else int(value)


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
        result = run_scrapy(
            "crawl", spider, "-O", str(feed), "-s", f"NEWS_STORE_PATH={store}", *arguments, project="replay"
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        text = feed.read_text(encoding="utf-8")
        assert "\\u" not in text, "the feed should hold UTF-8 text, not escapes"
        items = [json.loads(line) for line in text.splitlines()]
        return CrawlResult(items=items, log=result.stderr, stats=result.stats())

    return crawl
