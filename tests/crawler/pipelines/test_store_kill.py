"""The store stage in a process killed with SIGKILL: nothing it handed on is lost, and the next crawl stores it.

Each test runs the pipeline in a real process on a real SQLite file (``CHILD``),
kills it at a point read off what it did (the items it returned, the rows
in the store), then runs the next crawl's pipeline on the same store.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.items import Article
from crawler.storage.store import ArticleStore
from tests.crawler.pipelines.test_store import journaled, make_pipeline, stored_urls
from tests.crawling import ROOT
from tests.locking import store_locked

#: A crawl's store stage: opens (writing what earlier crawls left), takes articles ``first``..``last - 1``,
#: saying so after each, then waits, as a crawl still fetching pages does, until it is killed.
CHILD = """
import sys
from scrapy.utils.test import get_crawler
from crawler.pipelines.store import StorePipeline
from tests.crawler.pipelines.test_store_kill import short_article

path, first, last, retry_interval = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
crawler = get_crawler(settings_dict={"NEWS_STORE_PATH": path, "NEWS_STORE_BUSY_TIMEOUT": 0.05,
                                     "NEWS_STORE_RETRY_INTERVAL": retry_interval})
crawler.stats.open_spider()
pipeline = StorePipeline.from_crawler(crawler)
pipeline.open_spider()
print("opened", flush=True)
for number in range(first, last):
    if number == first + int(sys.argv[5]):
        print("waiting", flush=True)
        sys.stdin.readline()
    pipeline.process_item(short_article(number))
    print("returned", number, flush=True)
sys.stdin.readline()
"""


def short_article(number: int) -> Article:
    """Too short a body for a fingerprint: thousands are saved in about a second."""
    url = f"https://see.news/story-{number}"
    return Article(url=url, canonical_url=url, headline=f"Story {number}", body=f"Story {number}.", language="en")


def urls(numbers: range) -> list[str]:
    return sorted(f"https://see.news/story-{number}" for number in numbers)


class Child:
    def __init__(self, path: Path, first: int, last: int, retry_interval: float = 3600, pause_after: int = -1) -> None:
        command = [sys.executable, "-c", CHILD, str(path), str(first), str(last), str(retry_interval), str(pause_after)]
        self.process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.returned: list[int] = []

    def read_until(self, marker: str) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("returned "):
                self.returned.append(int(line.split()[1]))
            if line.strip() == marker:
                return
        raise AssertionError(f"the process ended before {marker!r} (exit {self.process.wait()})")

    def go_on(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        assert self.process.returncode == -signal.SIGKILL

    def kill_when_stored(self, path: Path, rows: int, timeout: float = 30) -> int:
        """SIGKILL as soon as the store holds ``rows`` rows; answer how many it held then."""
        deadline = time.monotonic() + timeout
        with sqlite3.connect(path) as reader:
            while time.monotonic() < deadline:
                try:
                    count = reader.execute("SELECT count(*) FROM articles").fetchone()[0]
                except sqlite3.OperationalError:  # not made yet
                    count = 0
                if count >= rows:
                    self.kill()
                    return reader.execute("SELECT count(*) FROM articles").fetchone()[0]
                time.sleep(0.005)
        self.kill()
        raise AssertionError(f"the store never held {rows} rows")


@pytest.mark.parametrize("killed_after", [300, 120])
def test_items_deferred_while_the_store_is_locked_survive_a_sigkill(tmp_path: Path, killed_after: int) -> None:
    """Finding 1(c): 300 items returned (logged as scraped) while the store was locked, then SIGKILL."""
    path = tmp_path / "articles.sqlite"
    ArticleStore(path).close()
    with store_locked(path):
        child = Child(path, 0, 300)
        try:
            child.read_until(f"returned {killed_after - 1}")  # the crawl goes on meanwhile
        finally:
            child.kill()
        assert set(urls(range(killed_after))) <= {item["url"] for item in journaled(path)}
    following = make_pipeline(path)  # the next crawl, the store free
    stored = stored_urls(path)
    assert set(urls(range(killed_after))) <= set(stored) and len(stored) == len(set(stored))
    assert following.crawler.stats.get_value("store/pending_loaded") >= killed_after
    assert journaled(path) == []


def test_a_crawl_killed_while_writing_what_an_earlier_crawl_left_loses_none_of_it(tmp_path: Path) -> None:
    """Finding 1(a): the earlier crawl's pending file is kept until every article in it is committed."""
    path = tmp_path / "articles.sqlite"
    ArticleStore(path).close()
    lines = [json.dumps(short_article(number).to_dict()) + "\n" for number in range(4000)]
    (tmp_path / "articles.sqlite.pending.jsonl").write_text("".join(lines))
    child = Child(path, 0, 0)
    held = child.kill_when_stored(path, 400)
    assert held < 4000, "killed too late to test anything"
    following = make_pipeline(path)
    assert stored_urls(path) == urls(range(4000))
    stats = following.crawler.stats
    assert (stats.get_value("store/unchanged"), stats.get_value("store/new")) == (held, 4000 - held)
    assert journaled(path) == []


def test_a_crawl_killed_while_writing_its_own_journal_once_the_lock_is_gone_loses_nothing(tmp_path: Path) -> None:
    """The store takes writes again mid-crawl: the journal is written to it, and removed only after."""
    path = tmp_path / "articles.sqlite"
    ArticleStore(path).close()
    with store_locked(path) as lock:
        child = Child(path, 0, 1501, retry_interval=0.1, pause_after=1500)
        child.read_until("waiting")  # 1500 items journaled
        lock.release()
        time.sleep(0.2)  # past NEWS_STORE_RETRY_INTERVAL
        child.go_on()  # the next item finds the lock gone: the 1500 are written first, then it
        held = child.kill_when_stored(path, 150)
    assert held < 1500, "killed too late to test anything"
    assert len(journaled(path)) == 1500
    make_pipeline(path)
    assert set(urls(range(1500))) <= set(stored_urls(path))
    assert journaled(path) == []
