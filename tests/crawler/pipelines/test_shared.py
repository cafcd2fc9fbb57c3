"""The shared set of stored articles against a real redis-server: one store per article across workers."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from crawler.items import Article
from crawler.pipelines.shared import MarkStored, SkipStoredElsewhere, stored_key
from crawler.pipelines.store import StorePipeline
from tests.sites import ExampleSpider

URL = "https://news.example/news/lavrov-russia-never-plans-to-join-nato"


def crawler_for(redis_url: str, store: Path, **arguments: str):  # type: ignore[no-untyped-def]
    crawler = get_crawler(ExampleSpider, {"REDIS_URL": redis_url, "NEWS_STORE_PATH": str(store)})
    crawler.spider = ExampleSpider.from_crawler(crawler, **arguments)
    return crawler


def test_an_article_another_worker_stored_is_dropped_before_the_store(redis_url: str, tmp_path: Path) -> None:
    article = Article(url=URL, canonical_url=URL, headline="h", body="b", site="example")
    crawler = crawler_for(redis_url, tmp_path / "w1.sqlite")
    skip, store, mark = (stage.from_crawler(crawler) for stage in (SkipStoredElsewhere, StorePipeline, MarkStored))
    server = redis.Redis.from_url(redis_url)
    assert skip.process_item(article) is article  # nobody has it yet
    assert mark.process_item(article) is article
    assert not server.smembers(stored_key("example"))  # not in this worker's store (yet): not marked
    store.process_item(article)
    mark.process_item(article)
    assert server.smembers(stored_key("example")) == {URL.encode()}
    with pytest.raises(DropItem, match="stored_by_another_worker"):
        SkipStoredElsewhere.from_crawler(crawler_for(redis_url, tmp_path / "w2.sqlite")).process_item(article)
    refreshing = crawler_for(redis_url, tmp_path / "w2.sqlite", refresh="1")
    assert SkipStoredElsewhere.from_crawler(refreshing).process_item(article) is article


def test_off_when_nothing_is_stored(redis_url: str) -> None:
    crawler = get_crawler(ExampleSpider, {"REDIS_URL": redis_url, "NEWS_STORE_PATH": ""})
    with pytest.raises(NotConfigured):
        MarkStored.from_crawler(crawler)
