"""The store stage when another process holds the store's lock: items wait, are written later, never dropped."""

import json
import logging
import sqlite3
import threading
from pathlib import Path

import pytest
from itemadapter import ItemAdapter
from scrapy.utils.test import get_crawler

from crawler.items import Article, Embed, Image, drop_empty
from crawler.pipelines.journal import Journal, journal_paths
from crawler.pipelines.store import StorePipeline, article_dict
from crawler.storage.fingerprint import fingerprint
from crawler.storage.store import ArticleStore
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


def journaled(path: Path) -> list[dict]:
    """The articles in the journals beside the store at ``path``, oldest first."""
    with ArticleStore(path) as store:
        paths = journal_paths(store)
    return [json.loads(line) for journal in paths for line in journal.read_text(encoding="utf-8").splitlines()]


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
    assert [item["url"] for item in journaled(path)] == ["https://see.news/story-1", "https://see.news/story-2"]
    assert stored_urls(path) == []
    following = make_pipeline(path)  # the next crawl
    assert following.crawler.stats.get_value("store/pending_loaded") == 2
    assert stored_urls(path) == ["https://see.news/story-1", "https://see.news/story-2"]
    assert journal_paths(following.store) == []


def test_a_short_lock_is_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite"
    ArticleStore(path).close()
    with store_locked(path) as lock:
        store = ArticleStore(path, busy_timeout=30)
        timer = threading.Timer(0.3, lock.release)  # the other process lets go while save() waits
        timer.start()
        assert (
            store.save({"url": "https://see.news/a", "canonical_url": "https://see.news/a", "body": BODY}, None)
            == "new"
        )
        timer.join()
    assert store.count() == 1


# -- the journal: on disk before process_item returns, removed only once committed ---------------------------


def test_a_deferred_item_is_in_an_fsynced_journal_when_process_item_returns(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite"
    pipeline = make_pipeline(path)
    with store_locked(path):
        pipeline.process_item(article(1))
        assert [item["url"] for item in journaled(path)] == ["https://see.news/story-1"]
        pipeline.process_item(article(2))
        assert [item["url"] for item in journaled(path)] == ["https://see.news/story-1", "https://see.news/story-2"]
    pipeline.process_item(article(3))  # the store takes writes again: the waiting two, then this one, committed
    assert stored_urls(path) == [f"https://see.news/story-{number}" for number in (1, 2, 3)]
    assert journal_paths(pipeline.store) == []  # removed once everything in it was committed
    pipeline.process_item(article(4))  # committed at once: no journal
    assert journal_paths(pipeline.store) == []
    pipeline.close_spider()
    assert pipeline.crawler.stats.get_value("store/spilled") is None


def test_a_committed_item_is_not_journaled(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite"
    pipeline = make_pipeline(path)
    pipeline.process_item(article(1))
    assert stored_urls(path) == ["https://see.news/story-1"] and journal_paths(pipeline.store) == []
    assert pipeline.crawler.stats.get_value("store/deferred") is None


def test_a_cut_short_last_line_is_quarantined_and_the_intact_lines_are_stored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """What a crawl killed while writing its journal leaves: the next crawl starts and stores the rest."""
    path = tmp_path / "articles.sqlite"
    ArticleStore(path).close()
    lines = [json.dumps(article(number).to_dict()) for number in (1, 2, 3)]
    cut = json.dumps(article(4).to_dict())[:57]
    garbled = '["not", "an", "article"]'
    (tmp_path / "articles.sqlite.pending.jsonl").write_text("\n".join([lines[0], garbled, *lines[1:], cut]))
    with caplog.at_level(logging.ERROR):
        pipeline = make_pipeline(path)
    assert stored_urls(path) == [f"https://see.news/story-{number}" for number in (1, 2, 3)]
    stats = pipeline.crawler.stats
    assert (stats.get_value("store/quarantined"), stats.get_value("store/pending_loaded")) == (2, 3)
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == [
        f"2 damaged lines in {tmp_path / 'articles.sqlite.pending.jsonl'} (not articles: cut short or garbled) "
        f"moved to {tmp_path / 'articles.sqlite.pending.damaged.jsonl'}"
    ]
    assert (tmp_path / "articles.sqlite.pending.damaged.jsonl").read_text().splitlines() == [garbled, cut]
    assert journal_paths(pipeline.store) == []
    pipeline.close_spider()
    make_pipeline(path)  # and the crawl after that finds nothing to do
    assert (tmp_path / "articles.sqlite.pending.damaged.jsonl").read_text().splitlines() == [garbled, cut]


def test_a_damaged_journal_is_rewritten_while_the_store_is_locked_so_a_line_is_quarantined_once(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite"
    ArticleStore(path).close()
    cut = '{"url": "https://see'
    (tmp_path / "articles.sqlite.pending.jsonl").write_text(json.dumps(article(1).to_dict()) + "\n" + cut)
    with store_locked(path):
        first = make_pipeline(path)
        first.close_spider()
    assert first.crawler.stats.get_value("store/quarantined") == 1
    assert [item["url"] for item in journaled(path)] == ["https://see.news/story-1"]  # in this crawl's journal now
    assert not (tmp_path / "articles.sqlite.pending.jsonl").exists()
    second = make_pipeline(path)
    assert second.crawler.stats.get_value("store/quarantined") is None
    assert stored_urls(path) == ["https://see.news/story-1"] and journal_paths(second.store) == []
    assert len((tmp_path / "articles.sqlite.pending.damaged.jsonl").read_text().splitlines()) == 1


def test_an_article_committed_before_its_journal_was_removed_is_saved_again_as_unchanged(tmp_path: Path) -> None:
    """A crawl killed between its last commit and removing its journal: the next crawl's replay is harmless."""
    path = tmp_path / "articles.sqlite"
    pipeline = make_pipeline(path)
    pipeline.process_item(article(1))
    pipeline.close_spider()
    (tmp_path / "articles.sqlite.pending.x.jsonl").write_text(json.dumps(article(1).to_dict()) + "\n")
    following = make_pipeline(path)
    assert following.crawler.stats.get_value("store/unchanged") == 1
    with ArticleStore(path) as store:
        assert store.connection.execute("SELECT version FROM articles").fetchall()[0][0] == 1
    assert journal_paths(following.store) == []


@pytest.mark.parametrize(
    "error",
    [sqlite3.IntegrityError("UNIQUE constraint failed: articles.canonical_url"),
     sqlite3.DatabaseError("database disk image is malformed"), sqlite3.OperationalError("disk I/O error")],
    ids=["IntegrityError", "DatabaseError", "OperationalError"],
)  # fmt: skip
def test_any_sqlite_error_defers_the_item_instead_of_failing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: sqlite3.Error
) -> None:
    path = tmp_path / "articles.sqlite"
    pipeline = make_pipeline(path)
    save = ArticleStore.save
    failing = {"count": 1}

    def flaky_save(self: ArticleStore, *args: object) -> str:
        if failing["count"]:
            failing["count"] -= 1
            raise error
        return save(self, *args)

    monkeypatch.setattr(ArticleStore, "save", flaky_save)
    item = article(1)
    assert pipeline.process_item(item) is item
    assert pipeline.crawler.stats.get_value("store/deferred") == 1
    assert [entry["url"] for entry in journaled(path)] == ["https://see.news/story-1"]
    pipeline.process_item(article(2))  # the retry (NEWS_STORE_RETRY_INTERVAL is 0 here) writes both
    assert stored_urls(path) == ["https://see.news/story-1", "https://see.news/story-2"]
    assert journal_paths(pipeline.store) == []


def test_a_running_crawls_journal_is_left_to_it_and_taken_up_once_it_ends(tmp_path: Path) -> None:
    """Two crawls on one store, both locked out: each journals its own articles; neither takes the other's."""
    path = tmp_path / "articles.sqlite"
    ArticleStore(path).close()
    with store_locked(path) as lock:
        first = make_pipeline(path)
        first.process_item(article(1))
        second = make_pipeline(path)  # starts while the first runs, its journal in use
        assert second.crawler.stats.get_value("store/pending_loaded") is None
        second.process_item(article(2))
        assert len(journal_paths(first.store)) == 2
        lock.release()
        second.process_item(article(3))  # the second's own articles are written; the first's journal stays
        assert stored_urls(path) == ["https://see.news/story-2", "https://see.news/story-3"]
        assert [item["url"] for item in journaled(path)] == ["https://see.news/story-1"]
    with store_locked(path):
        first.close_spider()  # still locked at the end: the first crawl's article stays in its journal
    third = make_pipeline(path)
    assert third.crawler.stats.get_value("store/pending_loaded") == 1
    assert stored_urls(path) == [f"https://see.news/story-{number}" for number in (1, 2, 3)]
    assert journal_paths(third.store) == []


def test_when_neither_the_store_nor_the_journal_takes_an_item_it_is_counted_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "articles.sqlite"
    pipeline = make_pipeline(path)

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    with store_locked(path):
        monkeypatch.setattr(Journal, "create", full_disk)
        pipeline.process_item(article(1))
        pipeline.process_item(article(2))
        assert journal_paths(pipeline.store) == [] and len(pipeline.unjournaled) == 2
        monkeypatch.undo()  # space again: the next deferred item takes the two before it into the journal
        pipeline.process_item(article(3))
        assert [item["url"] for item in journaled(path)] == [f"https://see.news/story-{n}" for n in (1, 2, 3)]
        assert pipeline.unjournaled == []
        monkeypatch.setattr(Journal, "append", lambda *args: full_disk())
        pipeline.process_item(article(4))
        with caplog.at_level(logging.ERROR):
            pipeline.close_spider()
    stats = pipeline.crawler.stats
    assert (stats.get_value("store/spilled"), stats.get_value("store/lost")) == (3, 1)
    assert "Lost https://see.news/story-4: neither the store nor a journal beside it took it" in caplog.text
    monkeypatch.undo()
    following = make_pipeline(path)
    assert stored_urls(path) == [f"https://see.news/story-{number}" for number in (1, 2, 3)]
    assert journal_paths(following.store) == []


@pytest.mark.parametrize(
    "item",
    [
        Article(url="https://see.news/a", headline="A", body=BODY, language="en"),
        Article(url="https://see.news/b", headline="", body=BODY, authors=[], tags=["", "x"],
                main_image=Image(url="https://see.news/b.jpg", caption=""),
                images=[Image(url="https://see.news/c.jpg", caption="C", alt=None), Image(url="")],
                embeds=[Embed(type="tweet", url="https://x.example/1", text="")],
                validation_messages=["date_out_of_range: x"]),
        {"url": "https://see.news/d", "images": [{"url": "", "caption": None}, ("x", "")], "extra": {}},
    ],
)  # fmt: skip
def test_article_dict_is_the_adapters_dict_with_empties_dropped(item: object) -> None:
    assert article_dict(item) == drop_empty(ItemAdapter(item).asdict())


def test_an_item_the_store_linked_to_a_copy_stored_meanwhile_says_so_in_the_feed(tmp_path: Path) -> None:
    """Another crawl stored the first copy after this crawl's dedupe stage looked (tests/crawler/storage)."""
    with ArticleStore(tmp_path / "articles.sqlite") as other_crawl:
        first = article(1)
        other_crawl.save(article_dict(first), fingerprint(first.body or ""))
    pipeline = make_pipeline(tmp_path / "articles.sqlite")
    copy = article(2)
    copy.body = first.body  # the same story at another URL; the dedupe stage saw no copy
    assert pipeline.process_item(copy) is copy
    assert copy.duplicate_of == first.canonical_url
    assert pipeline.crawler.stats.get_value("dedupe/linked_by_store") == 1
    unrelated = article(3)
    unrelated.body = "Another story altogether, about the harvest and the rain in the north of the country. " * 3
    pipeline.process_item(unrelated)
    assert unrelated.duplicate_of is None and pipeline.crawler.stats.get_value("dedupe/linked_by_store") == 1
