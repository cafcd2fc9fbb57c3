"""The almayadeen spider end to end: a replayed crawl, as the README runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_ARTICLES = {
    "https://english.almayadeen.net/news/politics/russia-suspends-work-of-nato-information-office-in-moscow",
    "https://english.almayadeen.net/news/politics/lavrov-russia-does-not-want-us-army-in-central-asia",
}


def test_replay_crawl_writes_the_two_articles_and_nothing_else(tmp_path: Path) -> None:
    feed = tmp_path / "items.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "almayadeen", "-O", str(feed)],
        cwd=ROOT, env={**os.environ, "SCRAPY_PROJECT": "replay"}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert {item["url"] for item in items} == SEED_ARTICLES
    for item in items:
        expected_case = "russia-suspends-nato-office" if "nato" in item["url"] else "lavrov-us-army-central-asia"
        expected = json.loads((ROOT / "snapshots/almayadeen" / expected_case / "expected.json").read_text("utf-8"))
        fetched_at = item.pop("fetched_at")
        assert fetched_at.endswith("+00:00")
        assert item == expected
    # Not-stored pages (listing links to other stories, page 3) were answered 404 and counted.
    assert "'replay/miss': 9" in result.stderr
    assert "Traceback" not in result.stderr
    # The feed is UTF-8 text, not \\u escapes.
    assert "’" in feed.read_text(encoding="utf-8") or "\\u" not in feed.read_text(encoding="utf-8")
