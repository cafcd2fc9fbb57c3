"""The store stage in real crawls (``scrapy runspider`` against the HTTP mirror, as in tests/test_reliability.py).

A crawl killed with SIGKILL while the store is locked, a pending file cut
short by such a kill, and two crawls of one site at once on one store:
after each, every article a crawl yielded is in the store, once.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from crawler.pipelines.journal import journal_paths
from crawler.storage.store import ArticleStore
from tests.crawling import ROOT
from tests.locking import store_locked
from tests.test_reliability import (  # noqa: F401  (mirror is a fixture)
    ARTICLE_URLS,
    FAST,
    SITE_START_URLS,
    crawl,
    crawl_command,
    finished,
    kill_once_scraped,
    live_env,
    mirror,
    spider_source,
)


def journaled_urls(store_path: Path) -> set[str]:
    with ArticleStore(store_path) as store:
        paths = journal_paths(store)
    return {json.loads(line)["url"] for path in paths for line in path.read_text(encoding="utf-8").splitlines()}


def test_a_crawl_killed_while_the_store_is_locked_leaves_its_items_to_the_next(mirror: str, tmp_path: Path) -> None:
    """Finding 1(c) in a real crawl: three items logged as scraped, held back by the lock, then SIGKILL."""
    store_path = tmp_path / "articles.sqlite"
    ArticleStore(store_path).close()
    settings = {"NEWS_STORE_BUSY_TIMEOUT": "0.2", "NEWS_STORE_RETRY_INTERVAL": "0.2", "LOG_LEVEL": "DEBUG",
                "DOWNLOAD_TIMEOUT": "60"}  # fmt: skip
    # A slow last page keeps the crawl open after its articles are scraped: it is killed while it waits.
    source = spider_source(*SITE_START_URLS, "https://see.news/category/world/page/2/?_mirror_delay=30")
    with store_locked(store_path):
        scraped = kill_once_scraped(crawl_command(tmp_path, mirror, source, settings), len(ARTICLE_URLS))
        assert len(scraped) == len(ARTICLE_URLS), "the crawl ended before it scraped every article"
        assert journaled_urls(store_path) == ARTICLE_URLS  # on disk, though the store had none of them
    # The next crawl finds no article of its own (one page, not on the mirror) and stores the three first.
    (tmp_path / "items.jsonl").unlink(missing_ok=True)
    result = crawl(tmp_path, mirror, "https://see.news/no-such-page")
    assert result.returncode == 0 and "Traceback" not in result.log, result.log
    assert result.stat("store/pending_loaded") == len(ARTICLE_URLS)
    assert result.stored == ARTICLE_URLS
    assert journaled_urls(store_path) == set()


def test_a_pending_file_cut_short_is_quarantined_and_the_crawl_stores_the_rest(mirror: str, tmp_path: Path) -> None:
    """Finding 1(b) in a real crawl: once failed to start (JSONDecodeError, exit 1), every crawl after it too."""
    earlier = [{"url": f"https://see.news/earlier-{number}", "canonical_url": f"https://see.news/earlier-{number}",
                "site": "sadaelbalad", "headline": f"Earlier {number}", "body": "An earlier story."} for number in (1, 2)]  # fmt: skip
    cut = json.dumps({**earlier[0], "url": "https://see.news/earlier-3"})[:40]
    pending = tmp_path / "articles.sqlite.pending.jsonl"
    pending.write_text("".join(json.dumps(article) + "\n" for article in earlier) + cut)
    result = crawl(tmp_path, mirror, *SITE_START_URLS)
    assert result.returncode == 0 and "Traceback" not in result.log, result.log
    assert result.stored == ARTICLE_URLS | {article["url"] for article in earlier}
    assert (result.stat("store/quarantined"), result.stat("store/pending_loaded")) == (1, 2)
    errors = [line for line in result.log.splitlines() if "damaged" in line and " ERROR: " in line]
    assert len(errors) == 1 and f"ERROR: 1 damaged lines in {pending}" in errors[0], errors
    assert (tmp_path / "articles.sqlite.pending.damaged.jsonl").read_text() == cut + "\n"
    assert not pending.exists()


def test_two_crawls_of_one_site_at_once_on_one_store_store_each_article_once(mirror: str, tmp_path: Path) -> None:
    """Finding 2 in real crawls: both save the same canonical URLs at the same time, without an error."""
    store_path = tmp_path / "articles.sqlite"
    processes = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        command = crawl_command(folder, mirror, spider_source(*SITE_START_URLS),
                                {**FAST, "NEWS_STORE_PATH": str(store_path)}, feed=f"{folder / 'items.jsonl'}:jsonl")  # fmt: skip
        processes.append(subprocess.Popen(command, cwd=ROOT, env=live_env(), stderr=subprocess.PIPE, text=True))
    logs = [process.communicate(timeout=120)[1] for process in processes]
    results = []
    for name, process, log in zip(("first", "second"), processes, logs, strict=True):
        feed = tmp_path / name / "items.jsonl"
        items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
        result = finished(tmp_path, process.returncode, log, feed=False)
        assert process.returncode == 0 and "Traceback" not in log and "Error processing" not in log, log
        assert {item["url"] for item in items} <= result.stored
        assert (result.stat("item_scraped_count") or 0) == len(items)
        results.append(result)
    assert results[0].stored == ARTICLE_URLS
    # Each article is new to one crawl only (the other found it unchanged, or skipped its download).
    assert sum(result.stat("store/new") or 0 for result in results) == len(ARTICLE_URLS)
