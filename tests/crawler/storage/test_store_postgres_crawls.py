"""Real crawls into a shared PostgreSQL store (a real server, tests/postgres_server.py), through the HTTP mirror.

Two crawls writing one database at once, a crawl killed (SIGKILL) while the
server refuses its writes and one killed while it writes, near-duplicates
linked across two workers, what another worker stored dropped as such, and
``scrapy export`` reading the database.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from crawler.items import Article
from crawler.pipelines.dedupe import DeduplicatePipeline
from crawler.pipelines.shared import MarkStored, SkipStoredElsewhere
from crawler.pipelines.store import StorePipeline
from crawler.storage.postgres import PostgresStore
from crawler.tools.mirror import Mirror, RunningMirror
from tests.crawler.storage.test_store import BODY
from tests.crawling import ROOT
from tests.inprocess import run_scrapy
from tests.test_reliability import (
    ARTICLE_URLS,
    SITE_START_URLS,
    crawl_arguments,
    crawl_command,
    hostile_pages,
    kill_once_scraped,
    live_env,
    spider_source,
)


@pytest.fixture(scope="module")
def mirror() -> Iterator[str]:
    """tests/test_reliability.py's mirror (the snapshots and its hostile pages), for this module."""
    with RunningMirror(Mirror(extra=hostile_pages)) as base_url:
        yield base_url


def shared(postgres_url: str, folder: Path, **settings: str) -> dict[str, str]:
    """A crawl's settings for the shared store, its journal in ``folder``."""
    return {"NEWS_STORE_URL": postgres_url, "NEWS_STORE_JOURNAL_PATH": str(folder / "articles.postgres"), **settings}


def stored(postgres_url: str) -> list[str]:
    with PostgresStore(postgres_url) as store:
        return sorted(row[0] for row in store.connection.execute("SELECT url FROM articles").fetchall())


def journaled(folder: Path) -> set[str]:
    return {
        json.loads(line)["url"]
        for path in folder.glob("articles.postgres.pending.*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    }


def test_two_crawls_at_once_into_one_database_store_each_article_once(
    mirror: str, tmp_path: Path, postgres_url: str
) -> None:
    processes = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        command = crawl_command(folder, mirror, spider_source(*SITE_START_URLS), shared(postgres_url, folder))
        processes.append(subprocess.Popen(command, cwd=ROOT, env=live_env(), stderr=subprocess.PIPE, text=True))
    logs = [process.communicate(timeout=120)[1] for process in processes]
    for process, log in zip(processes, logs, strict=True):
        assert process.returncode == 0 and "Traceback" not in log and "Error processing" not in log, log
        assert "s3cret-pw" not in log
    assert stored(postgres_url) == sorted(ARTICLE_URLS)  # one row each
    new = sum(int(count) for log in logs for count in re.findall(r"'store/new': (\d+)", log))
    assert new == len(ARTICLE_URLS)  # each new to one crawl only


def test_a_crawl_killed_while_the_server_refuses_writes_loses_nothing(
    mirror: str, tmp_path: Path, postgres_url: str
) -> None:
    """Rows locked by another session past the busy timeout: journaled, SIGKILL, the next crawl stores them."""
    PostgresStore(postgres_url).close()
    settings = shared(postgres_url, tmp_path, NEWS_STORE_BUSY_TIMEOUT="0.2", NEWS_STORE_RETRY_INTERVAL="0.2",
                      LOG_LEVEL="DEBUG", DOWNLOAD_TIMEOUT="60")  # fmt: skip
    source = spider_source(*SITE_START_URLS, "https://see.news/category/world/page/2/?_mirror_delay=30")
    with PostgresStore(postgres_url) as locker, locker.connection.transaction():
        locker.connection.execute("LOCK TABLE articles IN EXCLUSIVE MODE")  # reads go on; writes wait
        scraped = kill_once_scraped(crawl_command(tmp_path, mirror, source, settings), len(ARTICLE_URLS))
        assert len(scraped) == len(ARTICLE_URLS), "the crawl ended before it scraped every article"
        assert journaled(tmp_path) == ARTICLE_URLS
    assert stored(postgres_url) == []
    result = run_scrapy(*crawl_arguments(tmp_path, mirror, spider_source("https://see.news/no-such-page"), settings))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stats().get("store/pending_loaded") == len(ARTICLE_URLS)
    assert stored(postgres_url) == sorted(ARTICLE_URLS)
    assert journaled(tmp_path) == set()


def test_a_crawl_killed_mid_crawl_has_every_scraped_article_committed(
    mirror: str, tmp_path: Path, postgres_url: str
) -> None:
    settings = shared(postgres_url, tmp_path, LOG_LEVEL="DEBUG", DOWNLOAD_TIMEOUT="60")
    source = spider_source(*SITE_START_URLS, "https://see.news/category/world/page/2/?_mirror_delay=30")
    scraped = kill_once_scraped(crawl_command(tmp_path, mirror, source, settings), len(ARTICLE_URLS))
    assert scraped and set(stored(postgres_url)) >= {url for url in ARTICLE_URLS if any(url in s for s in scraped)}
    assert set(stored(postgres_url)) | journaled(tmp_path) >= ARTICLE_URLS


# -- two workers' pipelines on one database --------------------------------------------------------------


def copy_of(url: str, body: str) -> Article:
    return Article(url=url, canonical_url=url, headline="Lavrov", body=body, language="en", site="example",
                   fetched_at="2026-11-25T10:00:00+00:00")  # fmt: skip


def worker(postgres_url: str, folder: Path) -> tuple[DeduplicatePipeline, StorePipeline]:
    crawler = get_crawler(settings_dict=shared(postgres_url, folder))
    crawler.stats.open_spider()
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    return DeduplicatePipeline(crawler), store


def test_near_duplicates_link_across_two_workers(postgres_url: str, tmp_path: Path) -> None:
    first_dedupe, first_store = worker(postgres_url, tmp_path)
    second_dedupe, second_store = worker(postgres_url, tmp_path)
    first_store.process_item(first_dedupe.process_item(copy_of("https://news.example/news/lavrov", BODY)))
    near = BODY.replace("Wednesday", "Thursday")
    linked = second_store.process_item(second_dedupe.process_item(copy_of("https://aggregator.example/lavrov", near)))
    assert linked["duplicate_of"] == "https://news.example/news/lavrov"
    with PostgresStore(postgres_url) as store:
        assert {item["url"]: item.get("duplicate_of") for item in store.articles()} == {
            "https://news.example/news/lavrov": None,
            "https://aggregator.example/lavrov": "https://news.example/news/lavrov",
        }
    for stage in (first_store, second_store):
        stage.close_spider()
        stage.store.close()


def test_stored_by_another_worker_comes_from_the_database(postgres_url: str, tmp_path: Path) -> None:
    """No Redis set involved: the Redis URL points nowhere, and the shared store answers."""
    settings = {**shared(postgres_url, tmp_path), "REDIS_URL": "redis://127.0.0.1:9/0"}
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    crawler.spider = type("Spider", (), {"name": "example", "refresh": False})()  # type: ignore[assignment]
    with PostgresStore(postgres_url) as other_worker:
        other_worker.save(dict(copy_of("https://news.example/news/lavrov", BODY)), None)
    skip = SkipStoredElsewhere.from_crawler(crawler)
    with pytest.raises(DropItem, match="stored_by_another_worker"):
        skip.process_item(copy_of("https://news.example/news/lavrov", BODY))
    assert skip.process_item(copy_of("https://news.example/news/new", BODY))["url"] == "https://news.example/news/new"
    with pytest.raises(NotConfigured):
        MarkStored.from_crawler(crawler)  # nothing to mark in Redis: the store is the record


# -- scrapy export -----------------------------------------------------------------------------------------


def test_scrapy_export_reads_a_postgresql_store(postgres_url: str) -> None:
    with PostgresStore(postgres_url) as store:
        store.save(dict(copy_of("https://news.example/news/a", BODY), date_published="2021-09-23"), None)
        store.save(dict(copy_of("https://news.example/news/b", BODY), date_published="2021-10-01"), None)
    result = run_scrapy("export", "--store", postgres_url, "--since", "2021-09-24")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["url"] for line in result.stdout.splitlines()] == ["https://news.example/news/b"]
    by_setting = run_scrapy("export", "--format", "csv", "-s", f"NEWS_STORE_URL={postgres_url}")
    assert by_setting.returncode == 0 and "export: 2 articles" in by_setting.stderr


def test_scrapy_export_of_an_unreachable_server_is_one_line_without_the_password() -> None:
    result = run_scrapy("export", "--store", "postgresql://reader:hunter2@127.0.0.1:9/articles")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("export: store: cannot connect to postgresql://reader:***@127.0.0.1:9/")
    assert len(result.stderr.strip().splitlines()) == 1 and "hunter2" not in result.stderr
