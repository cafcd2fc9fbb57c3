"""The store stage when another process holds the store's lock: items wait, are written later, never dropped."""

import json
import logging
import threading
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import Article
from crawler.pipelines.store import StorePipeline, pending_path
from crawler.store import ArticleStore
from tests.locking import store_locked

BODY = "Russia’s Foreign Minister Sergei Lavrov met Jens Stoltenberg on the sidelines of the General Assembly. " * 3


def make_pipeline(store_path: Path) -> StorePipeline:
    settings = {"NEWS_STORE_PATH": str(store_path), "NEWS_STORE_BUSY_TIMEOUT": 0.1, "NEWS_STORE_RETRY_INTERVAL": 0}
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def article(number: int) -> Article:
    url = f"https://see.news/story-{number}"
    return Article(url=url, canonical_url=url, headline=f"Story {number}", body=f"{number}: {BODY}", language="en")


def stored_urls(path: Path) -> list[str]:
    with ArticleStore(path) as store:
        return sorted(row["url"] for row in store.articles())


def test_items_wait_out_a_lock_and_are_written_in_order_once_it_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite"
    pipeline = make_pipeline(path)
    with store_locked(path) as lock:
        pipeline.process_item(article(1))
        pipeline.process_item(article(2))
        assert len(pipeline.pending) == 2
        lock.release()
        pipeline.process_item(article(3))
    assert pipeline.pending == []
    stats = pipeline.crawler.stats
    assert (stats.get_value("store/deferred"), stats.get_value("store/new")) == (2, 3)
    pipeline.close_spider()
    assert stored_urls(path) == [f"https://see.news/story-{number}" for number in (1, 2, 3)]


def test_a_lock_that_outlasts_the_crawl_leaves_the_items_in_a_file_the_next_crawl_stores(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "articles.sqlite"
    pipeline = make_pipeline(path)
    with store_locked(path):
        for number in (1, 2):
            pipeline.process_item(article(number))
        with caplog.at_level(logging.ERROR):
            pipeline.close_spider()
    assert pipeline.crawler.stats.get_value("store/spilled") == 2
    assert "2 articles could not be stored" in caplog.text
    spilled = [json.loads(line) for line in pending_path(pipeline.store).read_text(encoding="utf-8").splitlines()]
    assert [item["url"] for item in spilled] == ["https://see.news/story-1", "https://see.news/story-2"]
    assert stored_urls(path) == []
    following = make_pipeline(path)  # the next crawl
    assert following.crawler.stats.get_value("store/pending_loaded") == 2
    assert stored_urls(path) == ["https://see.news/story-1", "https://see.news/story-2"]
    assert not pending_path(following.store).exists()


def test_a_short_lock_is_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite"
    ArticleStore(path).close()
    with store_locked(path) as lock:
        store = ArticleStore(path, busy_timeout=30)
        timer = threading.Timer(0.3, lock.release)  # the other process lets go while save() waits
        timer.start()
        assert store.save({"url": "https://see.news/a", "canonical_url": "https://see.news/a", "body": BODY}, None) == "new"
        timer.join()
    assert store.count() == 1
